"""Public verification pages (/verify/) and the staff console's seal pages (/console/seals/)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengtong.core.files.actions import UploadRefused, human_size, sm3_of
from zhengtong.core.permissions.checks import require
from zhengtong.core.seals import queries
from zhengtong.core.seals.actions import (
    SealError,
    VerifyResult,
    VerifyStatus,
    check_sign_document,
    do_create_seal,
    do_revoke_document,
    normalize_code,
    verify_document,
)
from zhengtong.core.seals.forms import (
    CreateSealForm,
    LookupForm,
    RevokeForm,
    SignForm,
    VerifyFileForm,
)
from zhengtong.core.seals.keys import SealKeyError
from zhengtong.core.seals.qr import qr_svg, verify_url

# --- public ---------------------------------------------------------------------------


def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.GET or None)
    if form.is_valid() and normalize_code(form.cleaned_data["code"]):
        return redirect("seals:document", code=normalize_code(form.cleaned_data["code"]))
    return render(request, "seals/lookup.html", {"form": form})


def _verify_upload(request: HttpRequest, code: str, form: VerifyFileForm) -> VerifyResult | None:
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    if upload.size > settings.ZT_UPLOAD_MAX_BYTES:
        form.add_error("file", _("文件过大：上限为 %(limit)s。") % {"limit": human_size(settings.ZT_UPLOAD_MAX_BYTES)})
        return None
    return verify_document(code, file_sm3=sm3_of(upload))


def document(request: HttpRequest, code: str) -> HttpResponse:
    canonical = normalize_code(code)
    if request.method == "GET" and canonical and canonical != code:
        return redirect("seals:document", code=canonical)
    form = VerifyFileForm(request.POST or None, request.FILES or None)
    result = _verify_upload(request, canonical, form) if request.method == "POST" else None
    result = result or verify_document(canonical)
    if result.status == VerifyStatus.UNKNOWN:
        return render(request, "seals/unknown.html", {"code": code, "form": LookupForm()}, status=404)
    url = verify_url(result.document.verify_code)
    return render(request, "seals/document.html", {
        "result": result, "doc": result.document, "form": form, "url": url,
        "qr": qr_svg(url, title=_("扫码核验")), "statuses": VerifyStatus})


# --- console ----------------------------------------------------------------------------


def _page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    return render(request, template, {"page_title": title, "header_icon": "key", **context})


def console_seals(request: HttpRequest) -> HttpResponse:
    require(request.user, "seals.manage")
    return _page(request, "seals/console_seals.html", _("电子印章"), rows=queries.seals_by_department(request.user),
                 form=CreateSealForm())


@require_POST
def console_create_seal(request: HttpRequest, department_id: int) -> HttpResponse:
    department = queries.access_department_by_id(request.user, department_id, "seals.manage")
    form = CreateSealForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    try:
        seal = do_create_seal(department, actor=request.user, name=name)
    except SealError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已为%(department)s制作新印章“%(name)s”，公钥指纹 %(fp)s")
                         % {"department": department.name, "name": seal.name, "fp": seal.fingerprint})
    return redirect("seals_console:index")


def console_documents(request: HttpRequest) -> HttpResponse:
    require(request.user, "seals.document.sign")
    page = Paginator(queries.documents_for(request.user), 50).get_page(request.GET.get("p"))
    return _page(request, "seals/console_documents.html", _("文件签章"), page=page)


def console_sign(request: HttpRequest) -> HttpResponse:
    require(request.user, "seals.document.sign")
    form = SignForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = check_sign_document(data["department"], data["file"], data["title"], actor=request.user)
        except UploadRefused as exc:
            form.add_error("file", exc.message)
        except (SealError, SealKeyError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已签章：%(title)s") % {"title": doc.title})
            return redirect("seals_console:document", document_id=doc.pk)
    return _page(request, "seals/console_sign.html", _("加盖电子印章"), form=form)


def console_document(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = queries.access_document_by_id(request.user, document_id)
    url = verify_url(doc.verify_code)
    return _page(request, "seals/console_document.html", doc.title, doc=doc, url=url,
                 qr=qr_svg(url, title=_("扫码核验")), revoke_form=RevokeForm())


@require_POST
def console_revoke(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = queries.access_document_by_id(request.user, document_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销原因。"))
    else:
        try:
            do_revoke_document(doc, actor=request.user, reason=form.cleaned_data["reason"])
        except SealError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已撤销：%(title)s") % {"title": doc.title})
    return redirect("seals_console:document", document_id=doc.pk)
