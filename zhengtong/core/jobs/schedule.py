"""THE list of periodic jobs. Add a job here and nowhere else.

Each job names a django_tasks task by dotted path (resolved when it falls due, so a
module that is missing or broken costs one logged error, not the scheduler). A plain
function is accepted too and run through ``jobs.tasks.run_callable``.

Slots: an interval job's slots are multiples of its interval since the Unix epoch; a daily
job's slot is that day's time in settings.TIME_ZONE. A slot missed while no scheduler ran
is run once when one next passes; older missed slots are not replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django_tasks Task (or of a plain function)
    every: timedelta | None = None
    daily_at: time | None = None
    description: str | Promise = ""  # shown on the console's jobs page, in the reader's language

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"job {self.name!r}: give exactly one of every= or daily_at=")
        if self.every is not None and self.every < timedelta(minutes=1):
            raise ValueError(f"job {self.name!r}: the shortest interval is one minute")

    @property
    def period(self) -> str:
        if self.daily_at is not None:
            return _("每天 %(time)s") % {"time": self.daily_at.strftime("%H:%M")}
        minutes = int(self.every.total_seconds()) // 60
        if minutes % 60 == 0:
            return _("每 %(hours)s 小时") % {"hours": minutes // 60}
        return _("每 %(minutes)s 分钟") % {"minutes": minutes}

    def slot(self, now: datetime) -> datetime:
        """The start of the bucket ``now`` falls in (aware, UTC)."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            return datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=UTC)
        local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
        today = datetime.combine(local.date(), self.daily_at, tzinfo=local.tzinfo)
        start = today if today <= local else today - timedelta(days=1)
        return start.astimezone(UTC)

    def next_slot(self, now: datetime) -> datetime:
        if self.every is not None:
            return self.slot(now) + self.every
        local = (self.slot(now) + timedelta(days=1)).astimezone(ZoneInfo(settings.TIME_ZONE))
        # Re-anchor on the wall-clock time so a DST change (none in China, some elsewhere) cannot drift it.
        return datetime.combine(local.date(), self.daily_at, tzinfo=local.tzinfo).astimezone(UTC)


SCHEDULE: tuple[Job, ...] = (
    Job("timelimits.refresh_statuses", "zhengtong.core.timelimits.actions.refresh_statuses",
        every=timedelta(minutes=5), description=gettext_lazy("刷新所有时限案件的红黄绿状态")),
    Job("timelimits.refresh_daily", "zhengtong.core.timelimits.tasks.refresh_daily",
        daily_at=time(0, 5), description=gettext_lazy("按当前预警阈值重算黄牌日期并刷新状态")),
    Job("workflow.refresh_timers", "zhengtong.services.workflow.actions.refresh_timers",
        every=timedelta(minutes=5), description=gettext_lazy("推进审批流程中的定时事件")),
    Job("supervision.issue_warnings", "zhengtong.supervision.warnings.issue_warnings",
        daily_at=time(8, 30), description=gettext_lazy("黄牌、红牌预警及逐日升级")),
    Job("supervision.compute_scorecards", "zhengtong.supervision.scorecards.compute_scorecards",
        daily_at=time(1, 0), description=gettext_lazy("生成上月部门绩效考核（幂等）")),
    Job("applications.warn_special_step_overruns",
        "zhengtong.services.applications.tasks.warn_special_step_overruns",
        daily_at=time(8, 15), description=gettext_lazy("特殊环节超过办事指南规定时限时提醒经办人")),
    Job("notify.retry_failed", "zhengtong.core.notify.tasks.retry_failed",
        every=timedelta(hours=1), description=gettext_lazy("重发失败的邮件和短信")),
    Job("calendar.warn_if_next_year_missing", "zhengtong.core.calendar.tasks.warn_if_next_year_missing",
        daily_at=time(8, 0), description=gettext_lazy("下一年度节假日未维护时提醒系统管理员")),
    Job("audit.verify_chain", "zhengtong.core.jobs.tasks.verify_audit_chain",
        daily_at=time(2, 30), description=gettext_lazy("夜间校验审计日志哈希链")),
)


def by_name() -> dict[str, Job]:
    return {job.name: job for job in SCHEDULE}
