"""Time-limit monitor API: /api/v1/timelimits/… (scoped by the caller's data scope)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from zhengtong.core.timelimits.models import CaseStatus
from zhengtong.core.timelimits.queries import counts_by_status, visible_open_cases

router = Router(tags=["timelimits"])


class CaseOut(Schema):
    id: int
    case_type: str
    object_type: str
    object_id: str
    title: str
    department: str
    started_on: date
    limit_days: int
    limit_unit: str
    due_date: date
    due_provisional: bool
    status: str

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.live_status  # as of today, even before the nightly refresh


class CountsOut(Schema):
    normal: int
    yellow: int
    red: int
    paused: int


def _check_status(status: str) -> str:
    if status and status not in CaseStatus.values:
        raise ValidationError(_("未知的状态：%(status)s") % {"status": status})
    return status


@router.get("/cases", response=list[CaseOut], summary="未办结的时限案件（本人数据范围内）")
@paginate(PageNumberPagination)
def cases(request, status: str = "", department: str = "", case_type: str = ""):
    return visible_open_cases(request.user, timezone.localdate(), status=_check_status(status),
                              department=department, case_type=case_type)


@router.get("/counts", response=CountsOut, summary="按状态统计未办结案件")
def counts(request):
    return counts_by_status(request.user, timezone.localdate())
