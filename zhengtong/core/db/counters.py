"""Named counters (case numbers, bill and licence numbers) incremented in one statement."""

from __future__ import annotations

from django.db import connections, models, router


def increment(model: type[models.Model], key: str) -> int:
    """Add one to the row ``key`` of ``model`` (created at 1) and return the new value.

    ``model`` has a unique ``key`` and an integer ``value``. One ``INSERT … ON CONFLICT DO
    UPDATE … RETURNING`` on both databases: the statement locks the row itself (held to the
    caller's commit), so concurrent callers get distinct values, with no read-then-write
    window and no savepoint for the first use of a key."""
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    table, key_col, value_col = quote(model._meta.db_table), quote("key"), quote("value")
    sql = (f"INSERT INTO {table} ({key_col}, {value_col}) VALUES (%s, 1) "
           f"ON CONFLICT ({key_col}) DO UPDATE SET {value_col} = {table}.{value_col} + 1 RETURNING {value_col}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        return cursor.fetchone()[0]
