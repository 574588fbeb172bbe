"""Form of the system admin's console: a new staff account (it gets no roles)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.org.models import Department


class StaffCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    name = forms.CharField(label=_("姓名"), max_length=150)
    department = forms.ModelChoiceField(label=_("所在部门"), queryset=Department.objects.filter(is_active=True))
    mobile = forms.CharField(label=_("手机号码"), max_length=16, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput(render_value=False),
                               help_text=_("须符合密码策略；首次登录后请本人修改"))
    password2 = forms.CharField(label=_("确认初始密码"), widget=forms.PasswordInput(render_value=False))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data
