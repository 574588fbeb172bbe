"""Console forms: an item version's content (with fees, special steps and FAQ as text) and the
materials inline formset. Validation proper lives in actions; these only parse input."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.services.catalog.excel import _fees_text, _parse_fees, _parse_steps, _steps_text
from zhengtong.services.catalog.models import (
    Audience,
    ItemKind,
    ItemVersion,
    LifeEvent,
    OnlineDepth,
    OriginalOrCopy,
    TrustLevel,
)
from zhengtong.services.catalog.registry import PROCESS_KEYS, process_label

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class VersionForm(forms.Form):
    name = forms.CharField(label=_("事项名称"), max_length=200)
    kind = forms.ChoiceField(label=_("事项类型"), choices=ItemKind.choices)
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices)
    legal_basis = forms.CharField(label=_("设定依据"), widget=TEXTAREA)
    conditions = forms.CharField(label=_("申请条件"), widget=TEXTAREA)
    process_description = forms.CharField(label=_("办理流程"), widget=TEXTAREA)
    statutory_days = forms.IntegerField(label=_("法定办结时限（工作日）"), min_value=1)
    promised_days = forms.IntegerField(label=_("承诺办结时限（工作日）"), min_value=1)
    acceptance_days = forms.IntegerField(label=_("受理时限（工作日）"), min_value=0, initial=5)
    special_steps = forms.CharField(label=_("特殊环节"), required=False, help_text=_("名称:天数:依据;…"))
    fees = forms.CharField(label=_("收费标准"), required=False, help_text=_("名称:金额:依据;…，留空为不收费"))
    place = forms.CharField(label=_("办理地点"), max_length=200)
    hours = forms.CharField(label=_("办理时间"), max_length=200, required=False)
    online_depth = forms.TypedChoiceField(label=_("网上办理深度"), choices=OnlineDepth.choices, coerce=int)
    visits_needed = forms.IntegerField(label=_("到现场次数"), min_value=0, initial=0)
    consultation = forms.CharField(label=_("咨询方式"), max_length=200)
    complaint = forms.CharField(label=_("监督投诉方式"), max_length=200)
    faq = forms.CharField(label=_("常见问题"), required=False, widget=TEXTAREA, help_text=_("每行一条：问题|解答"))
    form_schema = forms.CharField(label=_("申请表（JSON Schema）"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 10, "style": "font-family:monospace"}))
    process_key = forms.ChoiceField(label=_("审批流程"))
    life_events = forms.MultipleChoiceField(label=_("主题"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process_key"].choices = [(k, process_label(k)) for k in sorted(PROCESS_KEYS)]
        self.fields["life_events"].choices = [(e.code, e.name) for e in LifeEvent.objects.all()]

    @staticmethod
    def initial_from(version: ItemVersion) -> dict[str, Any]:
        data = {f: getattr(version, f) for f in (
            "name", "kind", "audience", "legal_basis", "conditions", "process_description", "statutory_days",
            "promised_days", "acceptance_days", "place", "hours", "online_depth", "visits_needed",
            "consultation", "complaint", "process_key")}
        data["fees"] = _fees_text(version.fees)
        data["special_steps"] = ";".join(f"{s['name']}:{s['max_days']}:{s.get('basis', '')}"
                                         for s in version.special_steps) or _steps_text([])
        data["faq"] = "\n".join(f"{x['q']}|{x['a']}" for x in version.faq)
        data["form_schema"] = json.dumps(version.form_schema, ensure_ascii=False, indent=2) if version.form_schema \
            else ""
        data["life_events"] = list(version.item.life_events.values_list("code", flat=True))
        return data

    def clean_fees(self):
        try:
            return _parse_fees(self.cleaned_data["fees"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_special_steps(self):
        try:
            return _parse_steps(self.cleaned_data["special_steps"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_faq(self):
        rows = []
        for line in filter(None, (x.strip() for x in self.cleaned_data["faq"].splitlines())):
            q, sep, a = line.partition("|")
            if not sep or not q.strip() or not a.strip():
                raise forms.ValidationError(_("常见问题每行应写作“问题|解答”"))
            rows.append({"q": q.strip(), "a": a.strip()})
        return rows

    def clean_form_schema(self):
        text = self.cleaned_data["form_schema"].strip()
        if not text:
            return {}
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("申请表不是有效的 JSON（第 %(n)d 行）") % {"n": exc.lineno}) from exc


class ItemCreateForm(forms.Form):
    code = forms.CharField(label=_("事项编码"), max_length=64)
    department = forms.ChoiceField(label=_("实施机关"))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.code, d.name) for d in departments]


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("材料名称"), max_length=200)
    form = forms.ChoiceField(label=_("材料形式"), choices=OriginalOrCopy.choices, initial=OriginalOrCopy.ELECTRONIC)
    count = forms.IntegerField(label=_("份数"), min_value=1, max_value=99, initial=1)
    required = forms.BooleanField(label=_("必要"), required=False, initial=True)
    trust_level = forms.ChoiceField(label=_("可信等级"), choices=TrustLevel.choices, initial=TrustLevel.C)
    shared_source = forms.CharField(label=_("共享数据来源"), max_length=100, required=False)
    note = forms.CharField(label=_("填报说明"), max_length=300, required=False)

    def has_changed(self) -> bool:
        """A blank extra row (only the defaults) is not a material; a named one is."""
        return bool((self.data.get(self.add_prefix("name")) or "").strip()) or super().has_changed() and bool(
            self.initial)


MaterialFormSet = forms.formset_factory(MaterialForm, extra=2, can_delete=True)


def material_initial(version: ItemVersion) -> list[dict]:
    return [{"name": m.name, "form": m.form, "count": m.count, "required": m.required,
             "trust_level": m.trust_level, "shared_source": m.shared_source, "note": m.note}
            for m in version.materials.all()]


def materials_from(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows
