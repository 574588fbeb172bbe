from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.timelimits.actions import finish_case
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.supervision import actions, scorecards
from zhengtong.supervision.models import FollowUp, Rating, RatingInvitation
from zhengtong.supervision.tests.conftest import make_case
from zhengtong.testing.personas import PASSWORD, login_staff

GOOD = {"level": 5, "overall": 5, "efficiency": 5, "guide_accuracy": 4, "convenience": 5, "usability": 5}
BAD = {"level": 1, "overall": 1, "efficiency": 1, "guide_accuracy": 2, "convenience": 1, "usability": 2}


def _login(client, user):
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302


def _finished(city, party, case_type="test.rated"):
    case = make_case(city, title="食品经营许可申请", party=party, case_type=case_type)
    return finish_case(case, on=date(2025, 3, 6))


def _rate(client, case, data, **extra):
    return client.post(f"/api/v1/supervision/rate/{case.pk}", {**data, **extra}, content_type="application/json")


def test_a_finished_rated_case_invites_its_party(city, applicant):
    case = _finished(city, applicant)
    assert RatingInvitation.objects.filter(case=case, party=applicant).exists()
    other = _finished(city, applicant, case_type="test.other")
    assert not RatingInvitation.objects.filter(case=other).exists()


def test_a_withdrawn_case_is_neither_rated_nor_scored(city, applicant):
    from zhengtong.supervision.models import CaseOutcome

    case = make_case(city, title="撤回的申请", party=applicant, case_type="test.rated")
    finish_case(case, on=date(2025, 3, 6), withdrawn=True)
    assert not RatingInvitation.objects.filter(case=case).exists()
    assert not CaseOutcome.objects.filter(case=case).exists()
    assert AuditEntry.objects.filter(action="timelimits.case.finished", object_id=str(case.pk),
                                     after__withdrawn=True).exists()


@time_machine.travel("2025-03-07 10:00 +0800", tick=False)
def test_the_party_rates_once_on_the_page(client, city, applicant):
    case = _finished(city, applicant)
    _login(client, applicant)
    url = f"/supervision/rate/{case.pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {**GOOD, "comment": "很快"}).status_code == 302
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.guide_accuracy, rating.comment, rating.real_name) == (5, 4, "很快", True)
    assert client.post(url, GOOD).status_code == 409
    assert Rating.objects.count() == 1
    assert 'data-testid="rated"' in client.get(url).content.decode()


@time_machine.travel("2025-03-07 10:00 +0800", tick=False)
def test_a_second_rating_through_the_api_is_409(client, city, applicant):
    case = _finished(city, applicant)
    _login(client, applicant)
    assert _rate(client, case, GOOD).status_code == 201
    response = _rate(client, case, BAD)
    assert response.status_code == 409 and "一事一评" in response.json()["message"]
    assert Rating.objects.get().level == 5


def test_only_the_party_may_rate(client, city, applicant, other_citizen, clerk):
    case = _finished(city, applicant)
    _login(client, other_citizen)
    assert client.get(f"/supervision/rate/{case.pk}/").status_code == 404
    assert _rate(client, case, GOOD).status_code == 404
    client.logout()
    login_staff(client, clerk)
    assert client.get(f"/supervision/rate/{case.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/supervision/rate/{case.pk}/").status_code == 302  # to the login page
    assert not Rating.objects.exists()


def test_an_unfinished_or_unrated_case_cannot_be_rated(client, city, applicant):
    open_case = make_case(city, title="在办", party=applicant, case_type="test.rated")
    _login(client, applicant)
    assert client.get(f"/supervision/rate/{open_case.pk}/").status_code == 404
    assert _rate(client, open_case, GOOD).status_code == 404


def test_out_of_range_levels_are_refused_and_nothing_is_written(client, city, applicant):
    case = _finished(city, applicant)
    _login(client, applicant)
    response = _rate(client, case, GOOD, level=6)
    assert response.status_code == 400 and "1 至 5" in response.json()["message"]
    assert client.post(f"/supervision/rate/{case.pk}/", {**GOOD, "usability": 0}).status_code == 400
    assert not Rating.objects.exists() and not AuditEntry.objects.filter(action="supervision.rating.submitted").exists()


@time_machine.travel("2025-03-07 10:00 +0800", tick=False)
def test_a_bad_rating_opens_a_follow_up_with_the_configured_deadline(client, city, applicant, dept_head, settings):
    settings.ZT_BAD_RATING_DAYS = 3
    case = _finished(city, applicant)
    _login(client, applicant)
    body = _rate(client, case, BAD, comment="态度差").json()
    assert body["follow_up"] is True
    fu = FollowUp.objects.get()
    clock = TimedCase.objects.get(pk=fu.clock_id)
    assert (fu.department, fu.status, clock.case_type) == (city.dept("market"), "contact", "supervision.followup")
    assert (clock.started_on, clock.due_date) == (date(2025, 3, 7), date(2025, 3, 12))


@time_machine.travel("2025-03-07 10:00 +0800", tick=False)
def test_a_good_rating_opens_no_follow_up(client, city, applicant):
    case = _finished(city, applicant)
    _login(client, applicant)
    _rate(client, case, {**GOOD, "level": 3})
    assert not FollowUp.objects.exists()


def _bad_rating(city, applicant):
    case = _finished(city, applicant)
    inv = RatingInvitation.objects.get(case=case)
    return actions.check_submit_rating(inv, level=2, indicators={k: 2 for k in BAD if k != "level"},
                                       today=date(2025, 3, 7))


def test_the_follow_up_runs_contact_verify_rectify(city, applicant, dept_head):
    rating = _bad_rating(city, applicant)
    fu = rating.follow_up
    with pytest.raises(actions.Conflict):
        actions.check_record_follow_up_step(fu, actor=dept_head, step="verify", note="跳步", founded=True)
    actions.check_record_follow_up_step(fu, actor=dept_head, step="contact", note="已电话回访",
                                        today=date(2025, 3, 10))
    with pytest.raises(actions.SupervisionError, match="是否属实"):
        actions.check_record_follow_up_step(fu, actor=dept_head, step="verify", note="核实")
    actions.check_record_follow_up_step(fu, actor=dept_head, step="verify", note="属实", founded=True,
                                        today=date(2025, 3, 10))
    actions.check_record_follow_up_step(fu, actor=dept_head, step="rectify", note="已培训窗口人员",
                                        today=date(2025, 3, 11))
    fu.refresh_from_db()
    assert (fu.status, fu.founded, fu.completed_on) == ("done", True, date(2025, 3, 11))
    assert [s.step for s in fu.steps.all()] == ["contact", "verify", "rectify"]
    assert TimedCase.objects.get(pk=fu.clock_id).status == "finished"


def test_an_unfounded_rating_is_done_after_verification(city, applicant, dept_head):
    fu = _bad_rating(city, applicant).follow_up
    actions.check_record_follow_up_step(fu, actor=dept_head, step="contact", note="回访")
    actions.check_record_follow_up_step(fu, actor=dept_head, step="verify", note="系申请人误解", founded=False)
    fu.refresh_from_db()
    assert fu.status == "done" and fu.founded is False


def test_an_approved_appeal_excludes_the_rating_from_statistics(client, city, applicant, dept_head, supervisor):
    rating = _bad_rating(city, applicant)
    rows = {r.department.code: r for r in scorecards.compute(date(2025, 3, 1), date(2025, 3, 31))}
    assert rows["SF-SCJG"].ratings == 1 and rows["SF-SCJG"].satisfaction_rate == 0
    login_staff(client, dept_head)
    response = client.post(f"/api/v1/supervision/follow-ups/{rating.follow_up.pk}/appeal",
                           {"reason": "申请人承认系误评"}, content_type="application/json")
    assert response.status_code == 201
    again = client.post(f"/api/v1/supervision/follow-ups/{rating.follow_up.pk}/appeal",
                        {"reason": "重复申诉"}, content_type="application/json")
    assert again.status_code == 409
    appeal = rating.appeals.get()
    with pytest.raises(PermissionDenied):  # a department head cannot decide its own appeal
        actions.check_decide_appeal(appeal, actor=dept_head, approve=True)
    actions.check_decide_appeal(appeal, actor=supervisor, approve=True, note="同意剔除")
    rating.refresh_from_db()
    assert rating.excluded and rating.excluded_reason == "申请人承认系误评"
    assert rating.follow_up.status == "excluded"
    rows = {r.department.code: r for r in scorecards.compute(date(2025, 3, 1), date(2025, 3, 31))}
    assert rows["SF-SCJG"].ratings == 0 and rows["SF-SCJG"].satisfaction_rate is None
    assert Rating.objects.filter(pk=rating.pk).exists()  # kept, flagged


def test_rejecting_an_appeal_needs_a_note(city, applicant, dept_head, supervisor):
    rating = _bad_rating(city, applicant)
    appeal = actions.check_file_appeal(rating, actor=dept_head, reason="恶意差评")
    with pytest.raises(actions.SupervisionError, match="审核意见"):
        actions.check_decide_appeal(appeal, actor=supervisor, approve=False)
    actions.check_decide_appeal(appeal, actor=supervisor, approve=False, note="证据不足")
    rating.refresh_from_db()
    assert not rating.excluded


def test_the_follow_up_console_page_records_a_step(client, city, applicant, dept_head):
    fu = _bad_rating(city, applicant).follow_up
    login_staff(client, dept_head)
    assert client.get("/console/supervision/follow-ups/").status_code == 200
    response = client.post(f"/console/supervision/follow-ups/{fu.pk}/", {"step": "contact", "note": "已回访"})
    assert response.status_code == 302
    fu.refresh_from_db()
    assert fu.status == "verify"


def test_a_supervisor_decides_an_appeal_over_the_api(client, city, applicant, dept_head, supervisor):
    rating = _bad_rating(city, applicant)
    appeal = actions.check_file_appeal(rating, actor=dept_head, reason="恶意差评")
    decide = f"/api/v1/supervision/appeals/{appeal.pk}/decide"
    login_staff(client, dept_head)  # files appeals, does not decide them
    assert client.get("/api/v1/supervision/appeals").json() == []
    assert client.post(decide, {"approve": True}, content_type="application/json").status_code == 404
    client.logout()
    login_staff(client, supervisor)
    listed = client.get("/api/v1/supervision/appeals", {"status": "pending"}).json()
    assert [(a["id"], a["department"], a["rating_level"], a["status"]) for a in listed] == [
        (appeal.pk, "SF-SCJG", 2, "pending")]
    assert client.get("/api/v1/supervision/appeals", {"status": "maybe"}).status_code == 400
    no_note = client.post(decide, {"approve": False}, content_type="application/json")
    assert no_note.status_code == 400 and "审核意见" in no_note.json()["message"]
    appeal.refresh_from_db()
    assert appeal.status == "pending"  # nothing half-written
    done = client.post(decide, {"approve": True, "note": "同意剔除"}, content_type="application/json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["rating_excluded"], done.json()["decision_note"]) == (
        "approved", True, "同意剔除")
    assert client.post(decide, {"approve": False, "note": "再审"}, content_type="application/json").status_code == 409
    assert AuditEntry.objects.filter(action="supervision.appeal.decided", object_id=str(appeal.pk)).count() == 1
