from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.files import actions
from zhengtong.core.files.actions import UploadRefused, check_upload, do_store_attachment
from zhengtong.core.files.models import Attachment
from zhengtong.core.files.tests import samples
from zhengtong.core.files.tests.conftest import stored_files
from zhengtong.lib.gm import sm3_hex

URL = "/api/v1/files/"


def _post(client, name: str, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def test_it_stores_a_pdf_with_its_sm3(client, applicant, media):
    client.force_login(applicant)
    response = _post(client, "营业执照申请.pdf", samples.PDF)
    assert response.status_code == 201, response.content
    body = response.json()
    attachment = Attachment.objects.get(pk=body["id"])
    assert body["sm3"] == attachment.sm3 == sm3_hex(samples.PDF)
    assert (attachment.original_name, attachment.kind, attachment.content_type) == (
        "营业执照申请.pdf", "pdf", "application/pdf")
    assert attachment.size == len(samples.PDF) and attachment.uploaded_by == applicant
    assert "营业执照" not in attachment.file.name  # stored under a random key
    with attachment.file.open("rb") as stored:
        assert stored.read() == samples.PDF
    entry = AuditEntry.objects.get(action="files.attachment.store")
    assert entry.object_id == str(attachment.pk) and entry.after["sm3"] == attachment.sm3


@pytest.mark.parametrize("data", [samples.EXE, samples.ELF])
def test_it_refuses_a_disguised_executable_and_stores_nothing(client, applicant, media, data):
    client.force_login(applicant)
    response = _post(client, "通知.pdf", data)
    assert response.status_code == 400
    assert response.json() == {"code": "executable", "message": "不允许上传可执行文件（通知.pdf）。"}
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_an_oversized_file_with_413(client, applicant, media, settings):
    settings.ZT_UPLOAD_MAX_BYTES = 100
    client.force_login(applicant)
    response = _post(client, "big.pdf", samples.PDF + b"0" * 200)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "文件过大" in response.json()["message"]
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "data"), [
    ("photo.pdf", samples.PNG), ("scan.png", samples.JPEG), ("report.docx", samples.PDF),
    ("table.docx", samples.xlsx()), ("licence.pdf", samples.ofd()),
])
def test_it_refuses_an_extension_that_disagrees_with_the_content(client, applicant, media, name, data):
    client.force_login(applicant)
    response = _post(client, name, data)
    assert response.status_code == 400
    assert response.json()["code"] == "extension_mismatch"
    assert response.json()["message"].startswith("文件内容与扩展名不符")
    assert stored_files(media) == []


@pytest.mark.parametrize(("name", "data"), [("a.zip", samples.plain_zip()), ("a.txt", b"hello"),
                                            ("empty.pdf", b"")])
def test_it_refuses_kinds_not_allowed(client, applicant, name, data):
    client.force_login(applicant)
    response = _post(client, name, data)
    assert response.status_code == 400
    assert response.json()["code"] in {"unsupported_type", "empty"}


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("a.jpg", samples.JPEG, "jpeg"), ("a.JPEG", samples.JPEG, "jpeg"), ("a.png", samples.PNG, "png"),
    ("电子证照.ofd", samples.ofd(), "ofd"), ("a.docx", samples.docx(), "docx"), ("a.xlsx", samples.xlsx(), "xlsx"),
])
def test_it_accepts_the_default_kinds(name, data, kind):
    assert check_upload(SimpleUploadedFile(name, data)).kind == kind


def test_callers_can_narrow_the_allowed_kinds():
    with pytest.raises(UploadRefused) as caught:
        check_upload(SimpleUploadedFile("a.png", samples.PNG), allowed_kinds={"pdf"})
    assert caught.value.code == "unsupported_type" and "PDF" in caught.value.message


def test_the_public_cannot_upload(client):
    assert _post(client, "a.pdf", samples.PDF).status_code == 401


# the store joins the caller's transaction (no savepoint): run it as the outermost one
def test_a_failed_write_leaves_no_orphan_file(transactional_db, applicant, media, monkeypatch):
    def broken_record(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(actions, "record", broken_record)
    with pytest.raises(RuntimeError):
        do_store_attachment(check_upload(SimpleUploadedFile("a.pdf", samples.PDF)), actor=applicant)
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
