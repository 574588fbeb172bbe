"""An English reader of e-supervision: the monitor's case types, the console's menus, the
scorecard weights and the rating form read in English; case titles and names stay as written."""

from __future__ import annotations

import time_machine

from zhengtong.supervision.tests.conftest import make_case
from zhengtong.supervision.tests.test_ratings import _finished, _login
from zhengtong.testing.personas import login_staff


def _english(client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@time_machine.travel("2025-03-07 10:00 +0800", tick=False)
def test_the_monitors_case_types_and_the_menus_read_in_english(client, city, supervisor):
    make_case(city, title="食品经营许可申请")
    login_staff(client, supervisor)
    _english(client)
    page = client.get("/console/supervision/").content.decode()
    for text in ("Case acceptance", "Case processing", "Approval step", "Answer to an urge", "Correction",
                 "E-supervision", "Government services"):
        assert text in page, text
    for text in ("办件受理", "办件办理", "审批环节", "督办答复", "纠错整改"):
        assert text not in page, text
    assert "食品经营许可申请" in page  # a case's title is data
    assert "Case acceptance" in client.get("/console/timelimits/").content.decode()


def test_the_scorecard_weights_read_in_english(client, supervisor):
    login_staff(client, supervisor)
    _english(client)
    page = client.get("/console/supervision/scorecards/").content.decode()
    assert "On-time rate weight" in page and "Satisfaction rate weight" in page
    assert "按时办结率权重" not in page


@time_machine.travel("2025-03-07 10:00 +0800", tick=False)
def test_the_rating_form_names_its_indicators_in_english(client, city, applicant):
    case = _finished(city, applicant)
    _login(client, applicant)
    _english(client)
    page = client.get(f"/supervision/rate/{case.pk}/").content.decode()
    assert "Overall satisfaction" in page and "Accuracy of the service guide" in page
    assert "整体满意度" not in page and "办事指南精确度" not in page
