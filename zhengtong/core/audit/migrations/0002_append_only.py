"""Refuse UPDATE and DELETE on the audit table at the database level (等保: audit records
protected from deletion and tampering). The hash chain detects what a privileged user
does after dropping these triggers."""

from django.db import migrations

from zhengtong.core.db.vendor_sql import by_vendor

SQLITE = [
    """CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    """CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_auditentry_no_update", "DROP TRIGGER IF EXISTS audit_auditentry_no_delete"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditentry_no_change BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only()""",
    """CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_change ON audit_auditentry",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only()",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES},
                  {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
    ]
