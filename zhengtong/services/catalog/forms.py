"""Console forms: an item version's content (with fees, special steps and FAQ as text), the
materials inline formset, a life event (主题) and a bundle (一件事). Validation proper lives in
actions; these only parse input."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengtong.services.catalog.excel import (
    _faq_text,
    _fees_text,
    _parse_faq,
    _parse_fees,
    _parse_steps,
    _steps_text,
)
from zhengtong.services.catalog.models import (
    Audience,
    ItemKind,
    ItemVersion,
    LifeEvent,
    OnlineDepth,
    OriginalOrCopy,
    ServiceItem,
    TrustLevel,
    VersionStatus,
)
from zhengtong.services.catalog.registry import process_keys, process_label

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
        self.fields["process_key"].choices = [(k, process_label(k)) for k in sorted(process_keys())]
        self.fields["life_events"].choices = [(e.code, e.name) for e in LifeEvent.objects.all()]

    @staticmethod
    def initial_from(version: ItemVersion) -> dict[str, Any]:
        data = {f: getattr(version, f) for f in (
            "name", "kind", "audience", "legal_basis", "conditions", "process_description", "statutory_days",
            "promised_days", "acceptance_days", "place", "hours", "online_depth", "visits_needed",
            "consultation", "complaint", "process_key")}
        data["fees"] = _fees_text(version.fees)
        data["special_steps"] = _steps_text(version.special_steps)
        data["faq"] = _faq_text(version.faq)
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
        try:
            return _parse_faq(self.cleaned_data["faq"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_form_schema(self):
        return parse_schema(self.cleaned_data["form_schema"])


def parse_schema(text: str) -> Any:
    text = text.strip()
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


def _item_label(item: ServiceItem) -> str:
    name = item.current.name if item.current_id else _("（未发布）")
    return f"{item.code} {name} · {item.department.short_name or item.department.name}"


class LifeEventForm(forms.Form):
    code = forms.CharField(label=_("主题编码"), max_length=40, help_text=_("字母、数字、横线或下划线；用于网址和 Excel 模板"))
    name = forms.CharField(label=_("主题名称"), max_length=60)
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices, initial=Audience.BOTH)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=1_000_000, initial=100,
                                    help_text=_("数字小的排在前面"))
    items = forms.MultipleChoiceField(label=_("包含事项"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        items = ServiceItem.objects.select_related("current", "department").order_by("department__code", "code")
        self.fields["items"].choices = [(i.code, _item_label(i)) for i in items]

    @staticmethod
    def initial_from(event: LifeEvent) -> dict[str, Any]:
        return {"code": event.code, "name": event.name, "audience": event.audience, "sort_order": event.sort_order,
                "items": list(event.items.values_list("code", flat=True))}


class BundleForm(forms.Form):
    code = forms.CharField(label=_("编码"), max_length=40, help_text=_("字母、数字、横线或下划线；用于网址，创建后不可修改"))
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)
    items = forms.MultipleChoiceField(label=_("包含事项"), widget=forms.CheckboxSelectMultiple,
                                      help_text=_("只能选择已发布的事项；发布前至少两个"))
    life_event = forms.ChoiceField(label=_("主题"), required=False)
    lead_department = forms.ChoiceField(label=_("牵头部门"))
    promised_days = forms.IntegerField(label=_("承诺办结时限（工作日）"), min_value=1,
                                       help_text=_("不能超过所含事项中最长的法定办结时限"))
    form_schema = forms.CharField(
        label=_("合并申请表（JSON Schema）"), required=False,
        widget=forms.Textarea(attrs={"rows": 12, "style": "font-family:monospace"}),
        help_text=_("留空：申报时自动合并各事项现行版本的申请表。自行填写时须包含各事项的全部必填字段。"))

    def __init__(self, *args, departments=(), members=(), with_code: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_code:
            del self.fields["code"]
        items = (ServiceItem.objects.filter(current__status=VersionStatus.PUBLISHED)
                 | ServiceItem.objects.filter(code__in=list(members)))
        items = items.distinct().select_related("current", "department").order_by("department__code", "code")
        self.fields["items"].choices = [(i.code, _item_label(i)) for i in items]
        self.fields["life_event"].choices = [("", _("（不归入主题）"))] + [
            (e.code, e.name) for e in LifeEvent.objects.all()]
        self.fields["lead_department"].choices = [(d.code, d.name) for d in departments]

    @staticmethod
    def initial_from(bundle) -> dict[str, Any]:
        return {"name": bundle.name, "description": bundle.description,
                "items": list(bundle.items.values_list("code", flat=True)),
                "life_event": bundle.life_event.code if bundle.life_event_id else "",
                "lead_department": bundle.lead_department.code, "promised_days": bundle.promised_days,
                "form_schema": json.dumps(bundle.form_schema, ensure_ascii=False, indent=2)
                if bundle.form_schema else ""}

    def clean_form_schema(self):
        return parse_schema(self.cleaned_data["form_schema"])
