"""The org console (系统管理员, ``org.manage``): region and department trees, new department, CSV import."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from zhengtong.core.console import console_view, render_page
from zhengtong.core.org import queries
from zhengtong.core.org.actions import ImportReport, check_create_department, check_import_regions
from zhengtong.core.org.forms import DepartmentForm, RegionImportForm
from zhengtong.core.permissions.checks import require


def _page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    return render_page(request, template, title, icon="site", **context)


@console_view
def tree(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.manage")
    return _page(request, "org/tree.html", _("区划和部门"), regions=queries.region_tree(),
                 departments=queries.department_tree())


@console_view
def department_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.manage")
    form = DepartmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dept = check_create_department(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已创建部门“%(name)s”") % {"name": dept.name})
            return redirect("org_console:tree")
    return _page(request, "org/department_form.html", _("新建部门"), form=form)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError


@console_view
def region_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "org.manage")
    form = RegionImportForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        try:
            text = _decode(form.cleaned_data["file"].read())
        except ValueError:
            report = ImportReport(errors=[_("文件编码无法识别，请保存为 UTF-8 或 GB18030 编码的 CSV")])
        else:
            report = check_import_regions(io.StringIO(text, newline=""), actor=request.user)
        if not report.errors:
            messages.success(request, _("导入完成：新增 %(created)s 个，更新 %(updated)s 个")
                             % {"created": report.created, "updated": report.updated})
            return redirect("org_console:tree")
    return _page(request, "org/region_import.html", _("导入行政区划"), form=form, report=report)
