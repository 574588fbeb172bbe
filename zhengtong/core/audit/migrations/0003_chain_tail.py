"""PostgreSQL: take the chain's lock and read its tail in one round trip.

A VOLATILE PL/pgSQL function takes a new snapshot for each statement it runs, so the tail
is read after the lock is granted and sees every entry committed before it — which one
plain statement (its snapshot taken before it waits for the lock) would not."""

from django.db import migrations

from zhengtong.core.db.vendor_sql import by_vendor

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_chain_tail(lock_key bigint) RETURNS TABLE (seq bigint, hash text) AS $$
       BEGIN
         PERFORM pg_advisory_xact_lock(lock_key);
         RETURN QUERY SELECT a.seq, a.hash::text FROM audit_auditentry a ORDER BY a.seq DESC LIMIT 1;
       END; $$ LANGUAGE plpgsql VOLATILE""",
]
POSTGRES_REVERSE = ["DROP FUNCTION IF EXISTS audit_chain_tail(bigint)"]


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [
        by_vendor({"postgresql": POSTGRES}, {"postgresql": POSTGRES_REVERSE}),
    ]
