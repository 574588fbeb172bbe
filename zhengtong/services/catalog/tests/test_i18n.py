"""An English reader of a service guide: the approval process is named in English; the
guide's own texts stay as their department wrote them."""

from __future__ import annotations

from django.utils import translation

from zhengtong.services.catalog.registry import process_label


def test_a_shipped_process_is_named_in_the_readers_language_and_an_upload_as_typed():
    from zhengtong.services.catalog.registry import PROCESS_LABELS

    PROCESS_LABELS.setdefault("test.uploaded", "区县简易审批")
    with translation.override("en"):
        assert process_label("simple") == "Simple approval (accept – review – decide)"
        assert process_label("test.uploaded") == "区县简易审批"
    assert process_label("simple") == "一般审批（受理—审查—决定）"


def test_the_guide_names_its_process_in_english(published, client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/services/items/SCJG-001/").content.decode()
    assert "Simple approval (accept – review – decide)" in html and "一般审批" not in html
    assert "有与经营食品相适应的场所" in html  # the guide's text is data
