"""The historical demo data: a year of applications, consistent with what the real actions write."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.timelimits.actions import refresh_statuses
from zhengtong.core.timelimits.models import CasePause, CaseStatus, TimedCase
from zhengtong.demo.loader import load_demo, wipe_demo
from zhengtong.services.applications.models import Application, ApplicationEvent, Status
from zhengtong.services.applications.numbers import parse_number
from zhengtong.supervision.models import CaseOutcome, FollowUp, Rating

pytestmark = pytest.mark.django_db
SMALL = 0.05  # 150 applications, 10 of them open


@pytest.fixture
def loaded():
    load_demo(scale=SMALL)


def test_counts_and_numbers(loaded):
    apps = list(Application.objects.all())
    assert len(apps) == 150
    numbers = [a.number for a in apps]
    assert len(set(numbers)) == len(numbers)
    for app in apps:
        assert parse_number(app.number) == app.number
        assert app.number[6:14] == f"{timezone.localtime(app.submitted_at):%Y%m%d}"
    open_ = [a for a in apps if a.is_open]
    assert 8 <= len(open_) <= 15
    assert all(a.acceptance_case_id for a in apps)
    entry = AuditEntry.objects.get(action="demo.history.loaded")
    assert entry.after["applications"] == 150
    assert Application._meta.get_field("created_at").auto_now_add  # the bulk switch was restored


def test_outcomes_are_realistic(loaded):
    finished = TimedCase.objects.filter(case_type="services.application", status=CaseStatus.FINISHED)
    late = finished.filter(finished_late=True).count()
    assert 0.02 <= late / finished.count() <= 0.2
    for app in Application.objects.filter(status=Status.REFUSED):
        assert app.refusal_reason and app.processing_case_id is None
    assert all(a.decision_reason for a in Application.objects.filter(status=Status.DENIED))
    assert Application.objects.filter(status=Status.GRANTED).count() > 100
    assert CasePause.objects.filter(reason__contains="补正").exists()
    for case in finished:
        assert case.finished_on >= case.started_on
        assert case.finished_late == (case.finished_on > case.due_date)


def test_open_cases_are_live_work(loaded):
    refresh_statuses()
    open_cases = TimedCase.objects.filter(case_type__startswith="services.").exclude(status=CaseStatus.FINISHED)
    statuses = set(open_cases.values_list("status", flat=True))
    assert {CaseStatus.RED, CaseStatus.YELLOW} <= statuses
    reviewing = Application.objects.filter(status=Status.REVIEWING)
    assert reviewing.exists() and all(hasattr(a, "process") or a.work_tasks.exists() for a in reviewing)


def test_nothing_happens_in_the_future(loaded):
    now, today = timezone.now(), timezone.localdate()
    assert not ApplicationEvent.objects.filter(at__gt=now).exists()
    assert not Application.objects.filter(submitted_at__gt=now).exists()
    assert not TimedCase.objects.filter(finished_on__gt=today).exists()
    assert not Rating.objects.filter(rated_on__gt=today).exists()
    first = ApplicationEvent.objects.order_by("application", "at", "id").first()
    assert first.action == "申报"


def test_supervision_rows_match_the_cases(loaded):
    withdrawn = [str(pk) for pk in Application.objects.filter(status="withdrawn").values_list("pk", flat=True)]
    assert withdrawn  # the history has withdrawn cases, and they are neither scored nor rated
    finished = TimedCase.objects.filter(status=CaseStatus.FINISHED)
    scored = finished.exclude(object_type="applications.application", object_id__in=withdrawn)
    assert CaseOutcome.objects.count() == scored.count() < finished.count()
    ratings = Rating.objects.all()
    assert ratings.count() >= 40
    assert all(r.case.case_type == "services.application" and r.case.status == CaseStatus.FINISHED
               for r in ratings.select_related("case"))
    assert FollowUp.objects.count() == ratings.filter(level__lte=2).count()
    good = ratings.filter(level__gte=4).count()
    assert good / ratings.count() > 0.7


def _facts() -> list[tuple]:
    rows = Application.objects.values_list("submitted_at", "item_version__item__code", "applicant__username",
                                           "status", "processing_case__due_date")
    return sorted((timezone.localtime(at).date(), *rest) for at, *rest in rows)


def test_same_data_after_a_reload():
    """The wipe clears the history too; a reload yields the same cases (numbers continue the
    day's sequence, so they are never reused)."""
    load_demo(scale=SMALL)
    first = _facts()
    wipe_demo()
    assert not Application.objects.exists()
    load_demo(scale=SMALL)
    assert _facts() == first
