from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.core.org.models import Department
from zhengtong.supervision.models import SUB_INDICATORS, DirectiveKind, RatingLevel, ScoreWeights

LEVEL_CHOICES = [(v, label) for v, label in sorted(RatingLevel.choices, reverse=True)]


class DirectiveForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=DirectiveKind.choices)
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=Department.objects.filter(is_active=True),
                                        to_field_name="code")
    about_case = forms.IntegerField(label=_("所涉案件编号"), required=False, widget=forms.HiddenInput)
    message = forms.CharField(label=_("督办事项/问题/问责事实"), widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(label=_("整改要求/处理措施"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    person_name = forms.CharField(label=_("责任人（问责）"), required=False, max_length=100)
    reply_days = forms.IntegerField(label=_("答复时限（工作日）"), min_value=1, max_value=60, initial=3)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复/整改情况"), widget=forms.Textarea(attrs={"rows": 4}))


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(label=_("总体评价"), choices=LEVEL_CHOICES, coerce=int,
                                   widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见建议（选填）"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in SUB_INDICATORS:
            self.fields[code] = forms.TypedChoiceField(label=label, choices=LEVEL_CHOICES, coerce=int,
                                                       widget=forms.RadioSelect)


class StepForm(forms.Form):
    note = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 3}))
    founded = forms.TypedChoiceField(label=_("差评是否属实"), required=False,
                                     choices=[("", "—"), ("1", _("属实")), ("0", _("不属实"))],
                                     coerce=lambda v: v == "1", empty_value=None)


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审核结论"), choices=[("1", _("申诉成立")), ("0", _("驳回"))],
                                     coerce=lambda v: v == "1")
    note = forms.CharField(label=_("审核意见"), required=False, max_length=500)


class WeightsForm(forms.ModelForm):
    class Meta:
        model = ScoreWeights
        fields = list(ScoreWeights.FIELDS)
