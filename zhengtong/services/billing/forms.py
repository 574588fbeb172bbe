from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.services.billing.models import DeliveryMethod


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=[(DeliveryMethod.WINDOW, _("窗口领取")),
                                                            (DeliveryMethod.POST, _("邮寄送达"))])
    tracking_number = forms.CharField(label=_("邮件单号"), max_length=40, required=False)
