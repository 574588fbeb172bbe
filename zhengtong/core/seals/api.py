"""Seals over the API (mounted at /api/v1/seals/): public verification, signing for staff."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from zhengtong.core.api.errors import ErrorOut
from zhengtong.core.files.actions import UploadRefused, sm3_of
from zhengtong.core.org.models import Department
from zhengtong.core.seals.actions import (
    SealError,
    VerifyResult,
    check_sign_document,
    verify_document,
)
from zhengtong.core.seals.keys import SealKeyError
from zhengtong.core.seals.qr import verify_url
from zhengtong.core.seals.schemas import SignedOut, VerifyOut

router = Router(tags=["seals"])


def _verify_out(result: VerifyResult) -> Status:
    doc = result.document
    if doc is None:
        return Status(404, {"code": "not_found", "message": _("验证码不存在，请核对后重新输入。")})
    return Status(200, {
        "status": result.status.value, "status_label": str(result.status.label), "title": doc.title,
        "file_name": doc.file_name, "seal": doc.seal.name, "department": doc.seal.department.name,
        "signed_at": doc.signed_at, "sm3": doc.sm3, "signature": doc.signature,
        "public_key": doc.seal.public_key, "algorithm": doc.seal.algorithm,
        "signature_valid": bool(result.signature_valid), "digest_match": result.digest_match,
        "revoked_at": doc.revoked_at})


@router.get("/verify/{code}", response={200: VerifyOut, 404: ErrorOut}, auth=None, summary="核验签章文件")
def verify(request: HttpRequest, code: str):
    return _verify_out(verify_document(code))


@router.post("/verify/{code}", response={200: VerifyOut, 404: ErrorOut}, auth=None,
             summary="上传文件，逐字节核验签章文件")
def verify_file(request: HttpRequest, code: str, file: File[UploadedFile]):
    return _verify_out(verify_document(code, file_sm3=sm3_of(file)))


@router.post("/sign", response={201: SignedOut, 400: ErrorOut, 413: ErrorOut}, summary="加盖电子印章")
def sign(request: HttpRequest, file: File[UploadedFile], title: Form[str], department: Form[str]):
    target = get_object_or_404(Department, code=department)
    try:
        doc = check_sign_document(target, file, title, actor=request.user)
    except UploadRefused as exc:
        return Status(exc.status, {"code": exc.code, "message": exc.message})
    except (SealError, SealKeyError) as exc:
        return Status(400, {"code": "seal_refused", "message": str(exc)})
    return Status(201, {"id": doc.pk, "verify_code": doc.verify_code, "verify_url": verify_url(doc.verify_code),
                 "sm3": doc.sm3, "signature": doc.signature, "attachment_id": doc.attachment_id})
