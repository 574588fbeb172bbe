from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from zhengtong.core.db.compiled import CompiledQuery, NotCompilable
from zhengtong.core.timelimits.actions import open_case
from zhengtong.core.timelimits.models import TimedCase
from zhengtong.core.timelimits.registry import register_case_type

register_case_type("test.compiled", "测试编译查询", default_limit_days=5)

BY_PK = CompiledQuery(lambda pk: TimedCase.objects.select_related("department__region", "party").filter(pk=pk))
BY_TYPE_AND_OBJECT = CompiledQuery(lambda object_id, case_type: TimedCase.objects.filter(
    case_type=case_type, object_id=object_id).order_by("pk"))
LOCKED = CompiledQuery(lambda pk: TimedCase.objects.select_for_update().filter(pk=pk))


def _case(city, object_id: str, party=None) -> TimedCase:
    return open_case(case_type="test.compiled", object_type="test.thing", object_id=object_id, title=f"事项{object_id}",
                     department=city.dept("market"), started_on=date(2025, 3, 3), today=date(2025, 3, 3), party=party)


def test_rows_come_back_as_the_orm_gives_them_with_their_related_objects(db, city, applicant):
    first, second = _case(city, "1", party=applicant), _case(city, "2")
    for case in (first, second):
        got = BY_PK.get(case.pk)
        orm = TimedCase.objects.select_related("department__region", "party").get(pk=case.pk)
        assert [getattr(got, f.attname) for f in TimedCase._meta.concrete_fields] == [
            getattr(orm, f.attname) for f in TimedCase._meta.concrete_fields]
        assert got.due_date == date(2025, 3, 10) and isinstance(got.started_on, date)
        assert got._state.adding is False and got._state.db == "default"
        with CaptureQueriesContext(connection) as queries:  # the related rows came with it
            assert got.department.region.name == city.dept("market").region.name
            assert got.party == orm.party
        assert not queries.captured_queries
    assert BY_PK.get(first.pk).party.pk == applicant.pk and BY_PK.get(second.pk).party is None


def test_each_run_is_one_statement_with_the_same_sql_and_new_values(db, city):
    cases = [_case(city, str(n)) for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        found = [BY_TYPE_AND_OBJECT.all(str(n), "test.compiled") for n in range(3)]
    assert [[c.pk for c in rows] for rows in found] == [[c.pk] for c in cases]
    assert len(queries.captured_queries) == 3
    assert BY_TYPE_AND_OBJECT.all("9", "test.compiled") == []
    assert BY_TYPE_AND_OBJECT.all("1", "other.type") == []


def test_get_raises_as_the_orm_does(db, city):
    _case(city, "5")
    _case(city, "5")
    with pytest.raises(TimedCase.DoesNotExist):
        BY_PK.get(10**9)
    with pytest.raises(TimedCase.MultipleObjectsReturned):
        BY_TYPE_AND_OBJECT.get("5", "test.compiled")


def test_a_locked_read_needs_a_transaction_where_the_database_locks_rows(db, city):
    case = _case(city, "7")
    with transaction.atomic():
        assert LOCKED.get(case.pk).pk == case.pk


@pytest.mark.parametrize("build, value", [
    (lambda v: TimedCase.objects.filter(Q(object_id=v) | Q(title=v)), "1"),  # the value twice
    (lambda v: TimedCase.objects.filter(title__contains=v), "事项"),  # the value rewritten (%…%)
    (lambda v: TimedCase.objects.filter(pk__in=v), [1, 2]),  # not an int or a str
    (lambda v: TimedCase.objects.filter(finished_on=v), date(2025, 3, 3)),
    (lambda v: TimedCase.objects.filter(pk=v).prefetch_related("pauses"), 1),
    (lambda v: TimedCase.objects.filter(pk=v).values("pk"), 1),
    (lambda v: TimedCase.objects.filter(pk=v).values_list("pk", flat=True), 1),
    (lambda v: TimedCase.objects.filter(pk=v).values_list("pk", named=True), 1),
])
def test_it_refuses_what_it_cannot_rerun_safely(db, build, value):
    with pytest.raises(NotCompilable):
        CompiledQuery(build).all(value)


def test_values_of_another_type_than_int_or_str_are_refused_after_compiling_too(db, city):
    case = _case(city, "8")
    assert BY_PK.get(case.pk).pk == case.pk
    with pytest.raises(NotCompilable):
        BY_PK.all(None)
    with pytest.raises(NotCompilable):
        BY_PK.all(True)


COLUMNS = CompiledQuery(lambda department_id: TimedCase.objects.filter(department_id=department_id).order_by("pk")
                        .values_list("pk", "started_on", "department__name", "party__username", "finished_on"))


def test_values_list_rows_come_back_as_the_orm_converts_them(db, city, applicant):
    _case(city, "1", party=applicant)
    _case(city, "2")
    market = city.dept("market")
    orm = list(TimedCase.objects.filter(department_id=market.pk).order_by("pk").values_list(
        "pk", "started_on", "department__name", "party__username", "finished_on"))
    with CaptureQueriesContext(connection) as queries:
        got = COLUMNS.all(market.pk)
    assert got == orm and len(queries.captured_queries) == 1
    assert all(type(row) is tuple for row in got) and isinstance(got[0][1], date)
    assert COLUMNS.all(city.dept("approval").pk) == []
    with pytest.raises(ValueError):
        COLUMNS.get(market.pk)  # get() is for instances
