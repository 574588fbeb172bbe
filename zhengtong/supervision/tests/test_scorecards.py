from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from zhengtong.core.timelimits.actions import finish_case, pause_case, resume_case
from zhengtong.supervision import actions, scorecards
from zhengtong.supervision.models import CaseOutcome, RatingInvitation, Scorecard, ScoreWeights
from zhengtong.supervision.tests.conftest import make_case
from zhengtong.testing.personas import login_staff

MARCH = date(2025, 3, 1)
TODAY = date(2025, 3, 14)


def _rate(case, level):
    inv = RatingInvitation.objects.get(case=case)
    return actions.check_submit_rating(inv, level=level, indicators={k: level for k in (
        "overall", "efficiency", "guide_accuracy", "convenience", "usability")}, today=date(2025, 3, 12))


@pytest.fixture
def dataset(city, applicant, dept_head):
    """Market: 4 finished (1 late, 1 supplemented), 1 open overdue, ratings 5/4/1 with the bad one rectified.
    Approval: 1 finished on time, no ratings."""
    a = finish_case(make_case(city, title="A", party=applicant, case_type="test.rated"), on=date(2025, 3, 5))
    b = finish_case(make_case(city, title="B", party=applicant, case_type="test.rated"), on=date(2025, 3, 12))
    c = make_case(city, title="C", limit=10)
    pause_case(c, on=date(2025, 3, 4), reason="一次性告知补正材料")
    resume_case(c, on=date(2025, 3, 6), today=date(2025, 3, 6))
    finish_case(c, on=date(2025, 3, 10))
    d = finish_case(make_case(city, title="D", party=applicant, case_type="test.rated"), on=date(2025, 3, 7))
    make_case(city, title="E")  # due 10 March, still open
    finish_case(make_case(city, "approval", title="F"), on=date(2025, 3, 4))
    _rate(a, 5)
    _rate(d, 4)
    fu = _rate(b, 1).follow_up
    actions.check_record_follow_up_step(fu, actor=dept_head, step="contact", note="回访")
    actions.check_record_follow_up_step(fu, actor=dept_head, step="verify", note="属实", founded=True)
    actions.check_record_follow_up_step(fu, actor=dept_head, step="rectify", note="已整改")
    return {"a": a, "b": b, "c": c, "d": d}


def test_outcomes_store_working_days_used_once(dataset):
    used = dict(CaseOutcome.objects.filter(case__title__in="ABCD").values_list("case__title", "working_days_used"))
    # A: 3→5 March = 2; B: 3→12 = 7; C: 3→10 = 5 minus 2 paused (4→6) = 3; D: 3→7 = 4
    assert used == {"A": 2, "B": 7, "C": 3, "D": 4}
    assert CaseOutcome.objects.get(case=dataset["c"]).supplemented is True


def test_scorecard_figures_on_a_known_dataset(dataset):
    rows = {r.department.code: r for r in scorecards.compute(MARCH, TODAY)}
    m = rows["SF-SCJG"]
    assert (m.finished, m.on_time, m.on_time_rate) == (4, 3, Decimal("0.7500"))
    assert m.avg_working_days == Decimal("4.00")  # (2 + 7 + 3 + 4) / 4
    assert m.overdue == 2  # B finished late + E open past due
    assert m.supplement_rate == Decimal("0.2500")
    assert (m.ratings, m.satisfaction_rate) == (3, Decimal("0.6667"))
    assert (m.bad_ratings, m.rectification_rate) == (1, Decimal("1.0000"))
    # speed = 1 - 4 / avg limit (5+5+10+5)/4 = 6.25 → 0.36; weights 30/15/15/25/15
    expected = (30 * Decimal("0.75") + 15 * Decimal("0.36") + 15 * Decimal("0.75") + 25 * Decimal("0.6667")
                + 15 * Decimal(1)) / 100 * 100
    assert m.score == expected.quantize(Decimal("0.01"))
    a = rows["SF-XZSP"]
    assert (a.finished, a.on_time_rate, a.satisfaction_rate, a.rank) == (1, Decimal("1.0000"), None, 1)
    # approval: on-time 100, speed 1 - 1/5 = 80, first-time right 100, over weights 60 → 95
    assert a.score == Decimal("95.00")
    assert m.rank == 2


def test_weights_change_the_score_and_only_supervisors_may_change_them(dataset, supervisor, clerk):
    with pytest.raises(PermissionDenied):
        actions.check_update_weights(actor=clerk, values={"on_time": 100})
    with pytest.raises(actions.SupervisionError):
        actions.check_update_weights(actor=supervisor, values={f: 0 for f in ScoreWeights.FIELDS})
    actions.check_update_weights(actor=supervisor, values={"on_time": 100, "speed": 0, "supplement": 0,
                                                           "satisfaction": 0, "rectification": 0})
    rows = {r.department.code: r for r in scorecards.compute(MARCH, TODAY)}
    assert rows["SF-SCJG"].score == Decimal("75.00")


def test_compute_scorecards_stores_the_month_idempotently(dataset):
    assert scorecards.compute_scorecards(MARCH, TODAY) == {"month": "2025-03-01", "departments": 2}
    scorecards.compute_scorecards(MARCH, TODAY)
    stored = list(Scorecard.objects.filter(month=MARCH).order_by("rank").values_list("department__code", "rank"))
    assert stored == [("SF-XZSP", 1), ("SF-SCJG", 2)]


def test_the_excel_export_opens(client, dataset, supervisor):
    login_staff(client, supervisor)
    response = client.get("/console/supervision/scorecards/export/", {"month": "2025-03"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "排名" and sheet["B3"].value == "市行政审批局"
    assert sheet["E4"].value == pytest.approx(0.75)
    page = client.get("/console/supervision/scorecards/", {"month": "2025-03"}).content.decode()
    assert 'data-dept="SF-SCJG"' in page


def test_a_clerk_cannot_see_scorecards(client, clerk):
    login_staff(client, clerk)
    assert client.get("/console/supervision/scorecards/").status_code == 403
    assert client.get("/console/supervision/scorecards/export/").status_code == 403


def test_the_api_gives_a_month_live_then_as_stored(client, dataset, supervisor, clerk):
    login_staff(client, supervisor)
    live = client.get("/api/v1/supervision/scorecards", {"month": "2025-03"})
    assert live.status_code == 200 and live.json()["stored"] is False and live.json()["month"] == "2025-03"
    market = {r["department"]: r for r in live.json()["rows"]}["SF-SCJG"]
    assert (market["finished"], market["on_time"], market["on_time_rate"]) == (4, 3, 0.75)
    assert (market["ratings"], market["satisfaction_rate"], market["rectification_rate"]) == (3, 0.6667, 1.0)
    scorecards.compute_scorecards(MARCH)
    stored = client.get("/api/v1/supervision/scorecards", {"month": "2025-03"}).json()
    assert stored["stored"] is True
    assert [(r["rank"], r["department"], r["score"]) for r in stored["rows"]] == [
        (r["rank"], r["department"], r["score"]) for r in sorted(live.json()["rows"], key=lambda r: r["rank"])]
    for bad in ("2025-13", "三月", "2999-01"):
        response = client.get("/api/v1/supervision/scorecards", {"month": bad})
        assert response.status_code == 400 and response.json()["code"] == "invalid"
    client.logout()
    login_staff(client, clerk)
    assert client.get("/api/v1/supervision/scorecards").status_code == 403


def test_weights_over_the_api(client, supervisor, dept_head):
    from zhengtong.core.audit.models import AuditEntry

    url = "/api/v1/supervision/weights"
    login_staff(client, dept_head)  # sees scorecards, so sees what weighs them; may not change them
    assert client.get(url).json() == {"on_time": 30, "speed": 15, "supplement": 15, "satisfaction": 25,
                                      "rectification": 15}
    new = {"on_time": 40, "speed": 10, "supplement": 10, "satisfaction": 30, "rectification": 10}
    assert client.put(url, new, content_type="application/json").status_code == 403
    client.logout()
    login_staff(client, supervisor)
    assert client.put(url, new, content_type="application/json").json() == new
    zero = client.put(url, dict.fromkeys(new, 0), content_type="application/json")
    assert zero.status_code == 400 and "全部为零" in zero.json()["message"]
    too_big = client.put(url, {**new, "speed": 101}, content_type="application/json")
    assert too_big.status_code == 400
    assert client.get(url).json() == new  # nothing half-written
    entry = AuditEntry.objects.get(action="supervision.weights.updated")
    assert entry.actor_id == supervisor.pk and entry.after == new


def test_a_closed_month_is_archived_over_the_api_and_the_console(client, dataset, supervisor, dept_head):
    from zhengtong.core.audit.models import AuditEntry

    url = "/api/v1/supervision/scorecards/store"
    login_staff(client, dept_head)
    assert client.post(url, {"month": "2025-03"}, content_type="application/json").status_code == 403
    client.logout()
    login_staff(client, supervisor)
    stored = client.post(url, {"month": "2025-03"}, content_type="application/json")
    assert stored.status_code == 200 and stored.json() == {"month": "2025-03", "departments": 2}
    assert Scorecard.objects.filter(month=MARCH).count() == 2
    entry = AuditEntry.objects.get(action="supervision.scorecards.computed")
    assert entry.actor_id == supervisor.pk  # a supervisor's 存档, not the nightly job
    from django.utils import timezone

    this_month = f"{timezone.localdate():%Y-%m}"
    for month in (this_month, "2025-3x", ""):
        response = client.post(url, {"month": month}, content_type="application/json")
        assert response.status_code == 400, month
    page = client.post("/console/supervision/scorecards/store/", {"month": this_month}, follow=True)
    assert "只能存档已经结束的月份" in page.content.decode()
    assert not Scorecard.objects.exclude(month=MARCH).exists()
