from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.identifiers.fields import IdNumberFormField, MobileFormField, UsccFormField


class LoginForm(forms.Form):
    username = forms.CharField(label=_("账号"), max_length=150,
                               help_text=_("工作人员用户名；自然人身份证号或手机号；法人统一社会信用代码"))
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)


class OtpForm(forms.Form):
    token = forms.RegexField(label=_("动态口令"), regex=r"^\d{6}$", max_length=6,
                             error_messages={"invalid": _("动态口令为 6 位数字")})


class _PasswordPair(forms.Form):
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, max_length=128)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class CitizenRegistrationForm(_PasswordPair):
    name = forms.CharField(label=_("姓名"), max_length=60)
    id_number = IdNumberFormField()
    mobile = MobileFormField()
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    field_order = ["name", "id_number", "mobile", "email", "password", "password2"]


class EnterpriseRegistrationForm(_PasswordPair):
    name = forms.CharField(label=_("单位名称"), max_length=150)
    uscc = UsccFormField()
    legal_rep_name = forms.CharField(label=_("法定代表人姓名"), max_length=60)
    legal_rep_id_number = IdNumberFormField(label=_("法定代表人身份证号"))
    mobile = MobileFormField(label=_("联系手机"))
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    address = forms.CharField(label=_("住所"), max_length=200, required=False)
    field_order = ["name", "uscc", "legal_rep_name", "legal_rep_id_number", "mobile", "email", "address",
                   "password", "password2"]


class TotpEnrollForm(forms.Form):
    """A code from the new authenticator and, when replacing one, a code from the current one."""

    current_token = forms.RegexField(label=_("当前令牌的动态口令"), regex=r"^\d{6}$", max_length=6,
                                     error_messages={"invalid": _("动态口令为 6 位数字")})
    token = forms.RegexField(label=_("新令牌显示的动态口令"), regex=r"^\d{6}$", max_length=6,
                             error_messages={"invalid": _("动态口令为 6 位数字")})

    def __init__(self, *args: Any, needs_current: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_current:
            del self.fields["current_token"]


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看事由"), max_length=200, required=False)
