"""Forms of the org console: a new department, a regions CSV upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.org.models import Department, Region


class DepartmentForm(forms.Form):
    region = forms.ModelChoiceField(label=_("所属区划"), queryset=Region.objects.current().exclude(level="township"))
    parent = forms.ModelChoiceField(label=_("上级部门"), required=False,
                                    queryset=Department.objects.filter(is_active=True).select_related("region"))
    code = forms.CharField(label=_("部门编码"), max_length=32)
    name = forms.CharField(label=_("部门名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=20, required=False)
    doc_prefix = forms.CharField(label=_("机关代字"), max_length=20, required=False, help_text=_("例如：示政发"))
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=100)


class RegionImportForm(forms.Form):
    file = forms.FileField(label=_("区划代码 CSV 文件"),
                           help_text=_("首行为列名 code,name[,valid_from,valid_to]；UTF-8 或 GB18030 编码。"
                                       "任一行有错则整批不导入"))
