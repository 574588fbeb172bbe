"""Django's PostgreSQL backend with ``before_commit`` work (see ``core.db.backends``)."""

from django.db.backends.postgresql import base

from zhengtong.core.db.backends import BeforeCommitMixin


class DatabaseWrapper(BeforeCommitMixin, base.DatabaseWrapper):
    pass
