from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.services.workflow.models import Outcome


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理意见"), choices=Outcome.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("请选择办理意见"),
                                                "invalid_choice": _("未知的办理意见")})
    comment = forms.CharField(label=_("意见说明"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("不同意或退回时必填；不予许可时作为决定理由"))

    def __init__(self, *args, decision: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if decision:
            self.fields["outcome"].choices = [(Outcome.APPROVE, _("准予许可")), (Outcome.REJECT, _("不予许可")),
                                              (Outcome.RETURN, _("退回重审"))]
        else:
            self.fields["outcome"].choices = [(Outcome.APPROVE, _("同意")), (Outcome.REJECT, _("不同意"))]
