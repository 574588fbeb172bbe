from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OverrideForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"invalid": _("请输入有效日期（YYYY-MM-DD）")})
    is_workday = forms.TypedChoiceField(label=_("类型"), coerce=lambda v: v == "1",
                                        choices=[("0", _("休息日（节假日）")), ("1", _("工作日（调休上班）"))])
    note = forms.CharField(label=_("说明"), max_length=100, required=False)
