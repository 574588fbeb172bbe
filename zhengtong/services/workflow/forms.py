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


class UploadForm(forms.Form):
    """Upload a BPMN process; the checks proper live in ``definitions`` and ``actions``."""

    key = forms.CharField(label=_("流程编码"), max_length=60,
                          help_text=_("须与 BPMN 中 process 的 id 相同；字母开头，只含字母、数字、横线或下划线"))
    name = forms.CharField(label=_("流程名称"), max_length=100, required=False,
                           help_text=_("留空时取 BPMN 中流程的名称"))
    file = forms.FileField(label=_("BPMN 文件"), help_text=_(".bpmn 或 .xml，UTF-8 编码，不超过 512 KB"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".bpmn,.xml"}),
                           error_messages={"required": _("请选择 BPMN 文件"), "empty": _("BPMN 文件是空的")})


class ConfigHeadForm(forms.Form):
    """Which process and, optionally, which item a new configuration is for."""

    process_key = forms.ChoiceField(label=_("审批流程"), error_messages={
        "required": _("请选择审批流程"), "invalid_choice": _("该流程不存在、尚未批准或没有可配置的环节")})
    item_code = forms.CharField(label=_("事项编码"), max_length=64, required=False,
                                widget=forms.TextInput(attrs={"list": "items-using", "autocomplete": "off"}),
                                help_text=_("留空为该流程的默认配置，适用于所有没有单独配置的事项"))

    def __init__(self, *args, processes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process_key"].choices = [("", "—")] + [(p.key, f"{p.name}（{p.key}）") for p in processes]


def department_choices() -> list:
    """Active departments grouped by region, after the implementing department ("*")."""
    from zhengtong.core.org.models import Department
    from zhengtong.services.workflow.routing import OWN_DEPARTMENT

    groups: dict[str, list] = {}
    for d in Department.objects.filter(is_active=True).select_related("region").order_by("region__code", "code"):
        groups.setdefault(d.region.name, []).append((d.code, f"{d.name}（{d.code}）"))
    return [("", "—"), (OWN_DEPARTMENT, _("办件的承办部门")), *groups.items()]


class BranchForm(forms.Form):
    """One slot of the process: a department, a name, a limit in working days and a role."""

    department_code = forms.ChoiceField(label=_("部门"), required=False, error_messages={
        "invalid_choice": _("部门不存在或已停用")})
    label = forms.CharField(label=_("环节名称"), max_length=60, required=False)
    limit_days = forms.IntegerField(label=_("时限（工作日）"), required=False, min_value=1, max_value=60,
                                    error_messages={"min_value": _("时限须为 1–60 个工作日"),
                                                    "max_value": _("时限须为 1–60 个工作日"),
                                                    "invalid": _("时限须为整数")})
    role = forms.ChoiceField(label=_("办理角色"), required=False,
                             error_messages={"invalid_choice": _("该角色不能办理审批任务")})

    def __init__(self, *args, departments=(), roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department_code"].choices = departments
        self.fields["role"].choices = [("", _("按流程定义")), *roles]

    @property
    def is_blank(self) -> bool:
        return not (getattr(self, "cleaned_data", None) or {}).get("department_code")


class BaseBranchFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        """Slots are filled in order: a blank row may only be followed by blank rows."""
        if any(self.errors):
            return
        blank_at = None
        for n, form in enumerate(self.forms, start=1):
            if form.is_blank:
                blank_at = blank_at or n
            elif blank_at:
                raise forms.ValidationError(_("请按顺序填写：第 %(n)s 行没有部门，其后的行也须留空")
                                            % {"n": blank_at})
        if blank_at == 1:
            raise forms.ValidationError(_("请至少配置一个部门"))

    def branches(self) -> list[dict]:
        rows = []
        for form in self.forms:
            if form.is_blank:
                break
            data = form.cleaned_data
            row = {"department_code": data["department_code"], "label": data.get("label") or ""}
            if data.get("limit_days") is not None:
                row["limit_days"] = data["limit_days"]
            if data.get("role"):
                row["role"] = data["role"]
            rows.append(row)
        return rows


def branch_formset(slots: int, *, data=None, initial=None, departments=(), roles=()):
    """One row per slot of the process."""
    initial = list(initial or [])[:slots]
    cls = forms.formset_factory(BranchForm, formset=BaseBranchFormSet, extra=max(0, slots - len(initial)),
                                max_num=slots, validate_max=True, absolute_max=slots)
    return cls(data, initial=initial, prefix="b", form_kwargs={"departments": departments, "roles": roles})
