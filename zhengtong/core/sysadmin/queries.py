"""Reads for the system admin: the user list (personal data masked) and the settings table."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhengtong.core.identifiers import mask_id_number, mask_mobile, mask_name, mask_uscc


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    name: str
    kind: str
    department: str
    mobile: str
    is_active: bool
    last_login: object


def users(*, kind: str = "", q: str = "") -> QuerySet:
    qs = get_user_model().objects.select_related("department").order_by("kind", "username")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        # Staff are found by part of their name; the public only by a full identifier or
        # mobile, so the list cannot be used to guess ID numbers digit by digit.
        qs = qs.filter(Q(kind="staff", username__icontains=q) | Q(kind="staff", display_name__icontains=q)
                       | Q(username=q.upper()) | Q(username=q) | Q(mobile=q))
    return qs


def masked_row(user) -> UserRow:
    if user.kind == "citizen":
        username, name = mask_id_number(user.username), mask_name(user.display_name)
    elif user.kind == "enterprise":
        username, name = mask_uscc(user.username), user.display_name
    else:
        username, name = user.username, user.display_name
    return UserRow(id=user.id, username=username, name=name, kind=user.get_kind_display(),
                   department=user.department.name if user.department_id else "",
                   mobile=mask_mobile(user.mobile), is_active=user.is_active, last_login=user.last_login)


# Whitelisted, never secret: keys, passwords and connection strings are left out on purpose.
_SETTINGS = [
    ("ZT_MODE", _("运行模式")), ("ZT_SITE_NAME", _("网站名称")), ("ZT_PLATFORM_NAME", _("平台名称")),
    ("ZT_SITE_SPONSOR", _("主办单位")), ("ZT_SITE_ORGANIZER", _("承办单位")), ("ZT_ICP_NUMBER", _("ICP 备案号")),
    ("ZT_PSB_NUMBER", _("公安备案号")), ("ZT_SITE_CODE", _("网站标识码")), ("ZT_SERVICE_HOTLINE", _("服务热线")),
    ("ZT_PUBLIC_URL", _("对外地址")), ("ALLOWED_HOSTS", _("允许的主机名")), ("LANGUAGE_CODE", _("默认语言")),
    ("TIME_ZONE", _("时区")), ("DEBUG", _("调试模式")), ("SESSION_COOKIE_AGE", _("会话空闲超时（秒）")),
    ("AXES_FAILURE_LIMIT", _("登录失败锁定次数")), ("AXES_COOLOFF_TIME", _("锁定时长")),
    ("ZT_UPLOAD_MAX_BYTES", _("上传大小上限（字节）")), ("ZT_YELLOW_DAYS", _("黄牌预警（剩余工作日）")),
    ("EMAIL_HOST", _("邮件服务器")), ("DEFAULT_FROM_EMAIL", _("发件地址")), ("ZT_SMS_BACKEND", _("短信通道")),
    ("ZT_SIGNER_BACKEND", _("电子签章实现")), ("ZT_S3_BUCKET", _("对象存储桶")),
]


def effective_settings() -> list[tuple[str, str, str]]:
    rows = [(key, str(label), str(getattr(settings, key, "—"))) for key, label in _SETTINGS]
    rows.append(("DATABASE", str(_("数据库类型")), connection.vendor))
    return rows
