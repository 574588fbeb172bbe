"""The supervisors' demo work: directives and appeals made through the real actions, in the past."""

from __future__ import annotations

import pytest
from django.utils import timezone

from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.timelimits.models import CaseStatus
from zhengtong.demo.loader import load_demo
from zhengtong.supervision.models import (
    AppealStatus,
    Directive,
    DirectiveKind,
    DirectiveStatus,
    RatingAppeal,
)
from zhengtong.supervision.registry import RATED_CASE_TYPES

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    load_demo(scale=0.2)


def test_every_kind_and_state_of_directive(loaded):
    directives = list(Directive.objects.select_related("clock", "about_case"))
    assert {d.kind for d in directives} == set(DirectiveKind.values)
    assert {d.status for d in directives} == set(DirectiveStatus.values)
    assert any(d.answered_late for d in directives) and any(d.answered_on and not d.answered_late for d in directives)
    today = timezone.localdate()
    for d in directives:
        assert d.clock.object_id == str(d.pk) and d.clock.case_type == f"supervision.{d.kind}"
        assert d.about_case.case_type in RATED_CASE_TYPES and d.about_case.department_id == d.department_id
        assert timezone.localdate(d.created_at) == d.clock.started_on < today
        if d.kind == DirectiveKind.URGE:  # urged while still open and overdue
            assert d.about_case.status == CaseStatus.RED
        else:  # corrected or held to account after it finished late
            assert d.about_case.finished_late
        if d.status == DirectiveStatus.OPEN:
            assert d.clock.status != CaseStatus.FINISHED and not d.answer
        else:
            assert d.clock.finished_on == d.answered_on and d.answer
            assert d.answered_late == (d.answered_on > d.clock.due_date)
    unanswered_late = [d for d in directives if d.status == DirectiveStatus.OPEN and d.clock.due_date < today]
    assert unanswered_late and all(d.clock.status == CaseStatus.RED for d in unanswered_late)


def test_appeals_pending_upheld_and_rejected(loaded):
    appeals = {a.status: a for a in RatingAppeal.objects.select_related("rating")}
    assert set(appeals) == set(AppealStatus.values)
    assert appeals[AppealStatus.APPROVED].rating.excluded
    assert not appeals[AppealStatus.REJECTED].rating.excluded and appeals[AppealStatus.REJECTED].decision_note
    assert appeals[AppealStatus.PENDING].decided_at is None
    for appeal in appeals.values():
        assert appeal.rating.level <= 2 and timezone.localdate(appeal.filed_at) >= appeal.rating.rated_on


def test_made_through_the_actions(loaded):
    actions = set(AuditEntry.objects.filter(action__startswith="supervision.").values_list("action", flat=True))
    assert {"supervision.urge.issued", "supervision.urge.answered", "supervision.correction.closed",
            "supervision.accountability.issued", "supervision.appeal.filed", "supervision.appeal.decided"} <= actions
    entry = AuditEntry.objects.get(action="demo.supervision.loaded")
    assert entry.after == {"directives": Directive.objects.count(), "appeals": RatingAppeal.objects.count()}
