"""Roles grant named actions; each grant to a user carries a data scope."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhengtong.core.permissions.registry import AdminGroup


class Scope(models.TextChoices):
    DEPARTMENT = "department", _("本部门")
    SUBTREE = "subtree", _("本部门及下级")
    REGION = "region", _("本区划")
    CITY = "city", _("全市")


class Role(models.Model):
    code = models.SlugField("角色编码", max_length=50, unique=True)
    name = models.CharField("角色名称", max_length=60)
    description = models.CharField("说明", max_length=200, blank=True)
    actions = models.JSONField("可执行操作", default=list)
    admin_group = models.CharField("三员类别", max_length=16, choices=AdminGroup.CHOICES, blank=True)
    is_builtin = models.BooleanField("内置", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "角色"

    def __str__(self) -> str:
        return self.display_name

    # A built-in role's name and description are stored as their Chinese msgids (see
    # ``registry.register_builtin_role``) and translated here, when shown: the rows stay the
    # same for every language, so existing databases need no migration. Custom roles keep
    # the text their creator typed.
    @property
    def display_name(self) -> str:
        return gettext(self.name) if self.is_builtin and self.name else self.name

    @property
    def display_description(self) -> str:
        return gettext(self.description) if self.is_builtin and self.description else self.description


class GrantQuerySet(models.QuerySet):
    def active(self) -> GrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class Grant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="grants", verbose_name="用户")
    role = models.ForeignKey(Role, models.PROTECT, related_name="grants", verbose_name="角色")
    scope = models.CharField("数据范围", max_length=16, choices=Scope.choices, default=Scope.DEPARTMENT)
    department = models.ForeignKey("org.Department", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="范围部门")
    region = models.ForeignKey("org.Region", models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="范围区划")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="授权人")
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    revoked_at = models.DateTimeField("收回时间", null=True, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "授权"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(scope__in=["department", "subtree"], department__isnull=False)
                           | models.Q(scope="region", region__isnull=False)
                           | models.Q(scope="city")),
                name="permissions_grant_scope_has_anchor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role} · {self.get_scope_display()}"
