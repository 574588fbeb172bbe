from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from zhengtong.core.db.counters import increment
from zhengtong.services.applications.models import NumberSequence
from zhengtong.services.billing.models import Counter


@pytest.mark.django_db
def test_a_counter_starts_at_one_and_counts_each_key_apart(django_assert_num_queries):
    with django_assert_num_queries(1):  # one statement, no read-then-write, no savepoint
        assert increment(Counter, "B-20261124") == 1
    assert [increment(Counter, "B-20261124") for _ in range(3)] == [2, 3, 4]
    assert increment(Counter, "B-20261125") == 1
    assert increment(NumberSequence, "361200-20261124") == 1
    assert Counter.objects.get(key="B-20261124").value == 4


@pytest.mark.django_db
def test_a_rolled_back_increment_is_not_kept():
    assert increment(Counter, "L-2026") == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert increment(Counter, "L-2026") == 2
        raise RuntimeError("the caller failed after taking a number")
    assert increment(Counter, "L-2026") == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_value():
    workers, rounds = 4, 15
    barrier = threading.Barrier(workers)
    taken: list[int] = []
    errors: list[BaseException] = []

    def take():
        try:
            barrier.wait()
            for _ in range(rounds):
                with transaction.atomic():
                    taken.append(increment(Counter, "B-20261124"))
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(taken) == list(range(1, workers * rounds + 1))
