"""Forms of the security admin's console: custom roles and grants."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.models import Role, Scope
from zhengtong.core.permissions.registry import ACTIONS, AdminGroup


def action_choices() -> list[tuple[str, str]]:
    groups = dict(AdminGroup.CHOICES)
    return [(code, f"{d.label}（{code}）" + (f" · {groups[d.admin_group]}" if d.admin_group else ""))
            for code, d in sorted(ACTIONS.items())]


class RoleForm(forms.Form):
    code = forms.SlugField(label=_("角色编码"), max_length=50,
                           help_text=_("小写字母开头，例如 window_lead；创建后不能修改"))
    name = forms.CharField(label=_("角色名称"), max_length=60)
    description = forms.CharField(label=_("说明"), max_length=200, required=False)
    admin_group = forms.ChoiceField(label=_("三员类别"), required=False,
                                    choices=[("", _("普通业务角色"))] + AdminGroup.CHOICES,
                                    help_text=_("管理员角色只能包含本类别的操作；创建后不能修改"))
    actions = forms.MultipleChoiceField(label=_("可执行操作"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, role: Role | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = action_choices()
        if role is not None:
            for name in ("code", "admin_group"):
                self.fields[name].disabled = True
                self.fields[name].required = False


class GrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("工作人员"), queryset=get_user_model().objects.none())
    role = forms.ModelChoiceField(label=_("角色"), queryset=Role.objects.all())
    scope = forms.ChoiceField(label=_("数据范围"), choices=Scope.choices, initial=Scope.DEPARTMENT,
                              help_text=_("管理员角色一律为全市范围"))
    department = forms.ModelChoiceField(label=_("范围部门"), required=False,
                                        queryset=Department.objects.filter(is_active=True),
                                        help_text=_("本部门/本部门及下级：留空则取该人员所在部门"))
    region = forms.ModelChoiceField(label=_("范围区划"), required=False, queryset=Region.objects.current(),
                                    help_text=_("本区划（含下级区划）：留空则取该人员所在部门的区划"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (get_user_model().objects.filter(kind="staff", is_active=True)
                                        .select_related("department").order_by("username"))
        self.fields["user"].label_from_instance = lambda u: f"{u.username} {u.display_name}"
