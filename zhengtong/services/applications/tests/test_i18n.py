"""An English reader sees statuses, channels and special-step kinds in English; what an
action stores stays plain text, in the language it was written in."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import translation
from django.utils.translation import gettext

from zhengtong.services.applications import actions
from zhengtong.services.applications.models import Application, Status
from zhengtong.services.applications.special_steps import step_kind
from zhengtong.services.applications.tests.conftest import make_item
from zhengtong.services.applications.tests.helpers import submit

pytestmark = pytest.mark.django_db
SUBMITTED_EN = "Submitted, awaiting acceptance"


def test_a_status_label_follows_the_active_language():
    app = Application(status=Status.SUBMITTED, channel="window")
    with translation.override("en"):
        assert (app.get_status_display(), app.get_channel_display()) == (SUBMITTED_EN, "At the service window")
    assert (app.get_status_display(), app.get_channel_display()) == ("已申报，待受理", "窗口受理")


def test_a_status_whose_words_are_a_verb_elsewhere_reads_as_a_state():
    with translation.override("en"):
        assert [str(s.label) for s in (Status.REFUSED, Status.GRANTED, Status.DENIED)] == [
            "Acceptance refused", "Granted", "Denied"]
        assert gettext("不予受理") == "Refuse to accept"  # the clerk's button
    assert Status.REFUSED.label == "不予受理"


def test_my_cases_and_the_case_api_show_the_status_in_english(client, item, applicant, form_data):
    app = submit(item, applicant, form_data)
    client.force_login(applicant)
    assert "已申报，待受理" in client.get("/apply/mine/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/apply/mine/").content.decode()
    assert SUBMITTED_EN in page and "已申报，待受理" not in page
    detail = client.get(f"/api/v1/applications/cases/{app.number}")
    assert detail.status_code == 200, detail.content
    assert (detail.json()["status"], detail.json()["status_label"]) == ("submitted", SUBMITTED_EN)


def test_guide_step_names_map_to_kinds_in_any_language():
    with translation.override("en"):
        assert [step_kind(n) for n in ("听证", "现场核查", "检验检测", "公示")] == [
            "hearing", "inspection", "testing", "public_notice"]


@time_machine.travel("2026-05-12 10:00 +08:00", tick=False)
def test_a_special_step_is_named_by_its_kind_in_english_and_the_guide_name_kept(city, applicant, clerk, form_data):
    steps = [{"name": "技术评估", "max_days": 30, "basis": ""}, {"name": "专家评审", "max_days": 20, "basis": ""}]
    app = actions.do_accept(submit(make_item("SF-XZSP-0010", city.dept("approval"), special_steps=steps),
                                   applicant, form_data), actor=clerk)
    same = actions.do_start_special_step(app, kind="expert_review", name="专家评审", note="", actor=clerk)
    actions.do_end_special_step(same, note="", actor=clerk)
    other = actions.do_start_special_step(app, kind="expert_review", note="", actor=clerk)
    with translation.override("en"):
        assert (same.label, other.label) == ("Expert review", "Expert review（技术评估）")


def test_the_timeline_keeps_the_channel_as_text_in_the_submitters_language(item, applicant, form_data):
    with translation.override("en"):
        english = submit(item, applicant, form_data)
    chinese = submit(item, applicant, form_data)
    notes = [a.events.order_by("id").values_list("note", flat=True)[0] for a in (english, chinese)]
    assert notes == ["Online application", "网上申报"]


def test_a_supplement_lists_its_problems_in_the_readers_language(client, item, applicant, clerk, form_data):
    from zhengtong.services.applications.supplements import compute_supplement_items
    from zhengtong.services.applications.tests.conftest import pdf
    from zhengtong.services.applications.tests.helpers import material_key

    app = submit(item, applicant, form_data, uploads={material_key(item, "身份证明"): pdf()})
    id_card = item.current.materials.get(name="身份证明")
    request = actions.do_request_supplement(app, items=compute_supplement_items(app, defective=[id_card.pk]),
                                            note="", actor=clerk)
    assert {it["problem"] for it in request.items} == {"缺少", "不符合要求"}  # stored as written
    client.force_login(applicant)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/apply/case/{app.number}/").content.decode()
    assert "<strong>场所证明</strong>（Missing）" in page and "<strong>身份证明</strong>（Non-compliant）" in page
    assert "场所证明（缺少）" in page  # the timeline's note keeps the language the clerk wrote it in
