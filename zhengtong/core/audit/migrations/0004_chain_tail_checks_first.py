"""PostgreSQL: the transaction's deferred constraint checks run before the chain's lock is taken.

Django's foreign keys are checked at COMMIT (DEFERRABLE INITIALLY DEFERRED). Run there, under
the chain's lock, each check share-locks the referenced row and may wait for another
transaction that holds it — while every other writer waits for the chain. ``SET CONSTRAINTS
ALL IMMEDIATE`` first fires those checks before the lock (and any later statement of the
transaction is checked as it runs): the lock is held for the chain's own insert and the
commit only."""

from importlib import import_module

from django.db import migrations

from zhengtong.core.db.vendor_sql import by_vendor

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_chain_tail(lock_key bigint) RETURNS TABLE (seq bigint, hash text) AS $$
       BEGIN
         SET CONSTRAINTS ALL IMMEDIATE;
         PERFORM pg_advisory_xact_lock(lock_key);
         RETURN QUERY SELECT a.seq, a.hash::text FROM audit_auditentry a ORDER BY a.seq DESC LIMIT 1;
       END; $$ LANGUAGE plpgsql VOLATILE""",
]
POSTGRES_REVERSE = import_module("zhengtong.core.audit.migrations.0003_chain_tail").POSTGRES  # back to it


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_tail")]
    operations = [
        by_vendor({"postgresql": POSTGRES}, {"postgresql": POSTGRES_REVERSE}),
    ]
