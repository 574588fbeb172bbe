from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.seals.queries import signing_departments


class LookupForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=40,
                           help_text=_("文件或证照上印制的 16 位验证码，可带短横线"))


class VerifyFileForm(forms.Form):
    file = forms.FileField(label=_("上传待核验的文件"),
                           help_text=_("系统逐字节比对文件的 SM3 摘要，并校验 SM2 签名；文件不会被保存"))


class CreateSealForm(forms.Form):
    name = forms.CharField(label=_("印章名称"), max_length=200, required=False,
                           help_text=_("留空则使用“部门名称 + 行政审批专用章”"))


class SignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("用印部门"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("文件标题"), max_length=200)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、OFD、DOCX、XLSX、JPEG 或 PNG"))

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = signing_departments(user)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=200)
