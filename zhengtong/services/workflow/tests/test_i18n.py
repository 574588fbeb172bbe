"""An English reader of the workflow console: the inbox's tabs and a process's element kinds."""

from __future__ import annotations

from django.utils import translation

from zhengtong.services.workflow.definitions import KIND_LABELS
from zhengtong.services.workflow.queries import PROCESS_STATUS, TABS
from zhengtong.testing.personas import login_staff


def test_the_inbox_tabs_read_in_english(client, approver):
    login_staff(client, approver)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/console/workflow/").content.decode()
    for text in ("To do", "Mine", "Due soon", "Overdue", "Done"):
        assert f"{text}（" in page or f">{text}<" in page, text
    for text in ("我的", "即将到期", "已超期"):
        assert text not in page, text


def test_tabs_statuses_and_element_kinds_have_english_labels():
    with translation.override("en"):
        assert [str(t) for t in TABS.values()] == ["To do", "Mine", "Due soon", "Overdue", "Done"]
        assert str(PROCESS_STATUS["pending"]) == "Awaiting approval"
        assert (str(KIND_LABELS["startEvent"]), str(KIND_LABELS["exclusiveGateway"])) == (
            "Start event", "Exclusive gateway")
    assert str(KIND_LABELS["startEvent"]) == "开始"
