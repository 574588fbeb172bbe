from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from zhengtong.core.files.tests import samples
from zhengtong.core.seals.actions import do_revoke_document
from zhengtong.core.seals.models import Seal, SignedDocument
from zhengtong.testing.personas import login_staff


def test_the_lookup_form_leads_to_the_document(client, signed):
    assert client.get("/verify/").status_code == 200
    response = client.get("/verify/", {"code": signed.code_display.lower()})
    assert response.status_code == 302 and response["Location"] == f"/verify/{signed.verify_code}/"


def test_the_verify_page_shows_a_genuine_document_with_its_qr(client, signed):
    page = client.get(f"/verify/{signed.verify_code}/").content.decode()
    assert "真实有效" in page and signed.title in page and signed.sm3 in page
    assert "市市场监督管理局行政审批专用章" in page and "市市场监督管理局" in page
    assert "<svg" in page and f"/verify/{signed.verify_code}/" in page


def test_an_uploaded_copy_is_checked_byte_for_byte(client, signed):
    url = f"/verify/{signed.verify_code}/"
    page = client.post(url, {"file": SimpleUploadedFile("a.pdf", samples.PDF)}).content.decode()
    assert "逐字节一致" in page
    page = client.post(url, {"file": SimpleUploadedFile("a.pdf", samples.PDF + b" ")}).content.decode()
    assert "文件可能已被篡改" in page and "不一致" in page


def test_a_revoked_document_page_says_revoked(client, signed, approver):
    do_revoke_document(signed, actor=approver, reason="许可已注销")
    page = client.get(f"/verify/{signed.verify_code}/").content.decode()
    assert "该文件已被撤销" in page and "许可已注销" in page


def test_an_unknown_code_is_a_404_in_chinese(client, db):
    response = client.get("/verify/AAAABBBBCCCCDDDD/")
    assert response.status_code == 404
    assert "未找到该验证码对应的签章文件" in response.content.decode()


def test_the_api_verifies_publicly(client, signed):
    body = client.get(f"/api/v1/seals/verify/{signed.verify_code}").json()
    assert body["status"] == "genuine" and body["signature_valid"] and body["sm3"] == signed.sm3
    response = client.post(f"/api/v1/seals/verify/{signed.verify_code}",
                           {"file": SimpleUploadedFile("a.pdf", b"%PDF-forged")})
    assert response.json()["status"] == "tampered" and response.json()["digest_match"] is False
    response = client.get("/api/v1/seals/verify/AAAABBBBCCCCDDDD")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def _sign_over_api(client, department: str = "SF-SCJG"):
    return client.post("/api/v1/seals/sign", {"file": SimpleUploadedFile("决定书.pdf", samples.PDF),
                                              "title": "准予许可决定书", "department": department})


def test_a_signer_signs_over_the_api(client, market_seal, approver):
    login_staff(client, approver)
    response = _sign_over_api(client)
    assert response.status_code == 201, response.content
    body = response.json()
    doc = SignedDocument.objects.get(pk=body["id"])
    assert body["verify_url"].endswith(f"/verify/{doc.verify_code}/") and body["sm3"] == doc.sm3


def test_the_api_refuses_signing_to_a_clerk_and_outside_scope(client, market_seal, clerk, approver):
    login_staff(client, clerk)
    response = _sign_over_api(client)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    client.logout()
    login_staff(client, approver)
    assert _sign_over_api(client, "SF-XZSP").status_code == 403
    assert not SignedDocument.objects.exists()


def test_the_api_refuses_a_disguised_executable(client, market_seal, approver):
    login_staff(client, approver)
    response = client.post("/api/v1/seals/sign", {"file": SimpleUploadedFile("a.pdf", samples.EXE),
                                                  "title": "x", "department": "SF-SCJG"})
    assert response.status_code == 400 and response.json()["code"] == "executable"


def test_the_sysadmin_makes_and_rotates_seals_in_the_console(client, city, sysadmin):
    login_staff(client, sysadmin)
    assert "市市场监督管理局" in client.get("/console/seals/").content.decode()
    url = f"/console/seals/departments/{city.dept('market').pk}/create/"
    assert client.post(url, {"name": ""}).status_code == 302
    assert client.post(url, {"name": "示范市市场监督管理局行政审批专用章"}).status_code == 302
    assert Seal.objects.filter(department=city.dept("market")).count() == 2
    assert Seal.objects.get(active=True, department=city.dept("market")).name == "示范市市场监督管理局行政审批专用章"


def _refused(response) -> bool:
    """The console (Wagtail) turns PermissionDenied into a redirect to its dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/console/")


def test_a_clerk_cannot_open_the_seal_console(client, clerk, city):
    login_staff(client, clerk)
    assert _refused(client.get("/console/seals/"))
    assert _refused(client.post(f"/console/seals/departments/{city.dept('approval').pk}/create/"))
    assert _refused(client.get("/console/seals/documents/sign/"))
    assert not Seal.objects.exists()


def test_a_signer_signs_in_the_console_and_sees_the_link(client, market_seal, approver):
    login_staff(client, approver)
    form = client.get("/console/seals/documents/sign/").content.decode()
    assert "市市场监督管理局" in form
    response = client.post("/console/seals/documents/sign/", {
        "department": market_seal.department_id, "title": "准予许可决定书",
        "file": SimpleUploadedFile("决定书.pdf", samples.PDF)})
    doc = SignedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/console/seals/documents/{doc.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert f"/verify/{doc.verify_code}/" in page and "<svg" in page
    assert doc.title in client.get("/console/seals/documents/").content.decode()


def test_the_console_shows_upload_errors_on_the_form(client, market_seal, approver):
    login_staff(client, approver)
    response = client.post("/console/seals/documents/sign/", {
        "department": market_seal.department_id, "title": "x", "file": SimpleUploadedFile("a.pdf", samples.EXE)})
    assert response.status_code == 200 and "不允许上传可执行文件" in response.content.decode()


def test_the_signed_file_downloads_for_signers_in_scope_only(client, signed, dept_head, clerk):
    url = f"/files/{signed.attachment_id}/"
    login_staff(client, dept_head)  # same department, holds seals.document.sign
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == samples.PDF
    client.logout()
    login_staff(client, clerk)
    assert client.get(url).status_code == 403
