"""Load and wipe the demo city 示范市 (demo mode only).

Organisation, grants and TOTP devices go through the ordinary actions, so their audit
entries look like real ones. People are bulk-created: PBKDF2 over ~300 passwords would take
minutes, so the demo password is hashed once and the hash shared, and each bulk step writes
one summary audit entry instead of one per account.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import ProtectedError, RestrictedError

from zhengtong.core.accounts.actions import do_create_totp_device
from zhengtong.core.accounts.models import CitizenProfile, EnterpriseProfile, User, UserKind
from zhengtong.core.audit.log import record
from zhengtong.core.audit.models import AuditEntry
from zhengtong.core.identifiers import person_facts
from zhengtong.core.org.actions import do_create_department, import_regions_csv
from zhengtong.core.org.models import Department, Region
from zhengtong.core.permissions.actions import check_grant_role
from zhengtong.core.permissions.apps import sync_builtin_roles
from zhengtong.core.permissions.models import Grant, Role, Scope
from zhengtong.demo import people, specs

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"
_triggers = importlib.import_module("zhengtong.core.audit.migrations.0002_append_only")


class DemoRefused(RuntimeError):
    """The demo city may not be loaded or wiped here (production, or data already present)."""


@dataclass(frozen=True)
class DemoSummary:
    regions: int
    departments: int
    staff: int
    grants: int
    citizens: int
    enterprises: int
    seconds: float


def _refuse_in_production() -> None:
    if settings.PRODUCTION:
        raise DemoRefused("生产模式（ZT_MODE=production）下禁止加载或重置示范数据：示范账号使用公开的密码和密钥，"
                          "重置会清空全部用户和审计日志。 / Refused in production.")


def load_demo(*, scale: float = 1.0) -> DemoSummary:
    """Load the demo city into a database without regions or users, in one transaction.

    ``scale`` shrinks or grows the public (citizens, enterprises) for tests and benches; the
    organisation and the ~60 staff are always complete. The same scale always yields the
    same data.
    """
    _refuse_in_production()
    started = time.perf_counter()
    with transaction.atomic():
        if Region.objects.exists() or User.objects.exists():
            raise DemoRefused("数据库中已有区划或用户，请使用 `zhengtong demo --reset`。 / Database not empty.")
        sync_builtin_roles()
        regions = _load_regions()
        depts = _load_departments(regions)
        hashed = make_password(specs.DEMO_PASSWORD)
        staff = _load_staff(depts, hashed)
        grants = _grant_roles(staff)
        _enroll_totp(staff)
        citizens = people.citizens(max(1, round(specs.CITIZENS * scale)))
        _load_citizens(citizens, hashed)
        companies = people.companies(max(1, round(specs.ENTERPRISES * scale)), citizens)
        _load_enterprises(companies, hashed)
        _load_platform_demos(scale)
        summary = DemoSummary(regions=len(regions), departments=len(depts), staff=len(staff), grants=grants,
                              citizens=len(citizens), enterprises=len(companies),
                              seconds=round(time.perf_counter() - started, 2))
        record("demo.loaded", role="demo", after={**asdict(summary), "seed": specs.SEED, "scale": scale})
    return summary


# The platforms' own demo content, loaded on top of the city in this order (the demo is the
# composition root: it may know every app; the apps do not know each other's demo data).
PLATFORM_DEMOS: list[str] = [
    "zhengtong.services.catalog.demo.load_catalog",
    "zhengtong.services.workflow.demo.load_process_configs",
    "zhengtong.services.demo_history.load_history",
    "zhengtong.supervision.demo.load_supervision_work",
]


def _load_platform_demos(scale: float) -> None:
    import inspect

    from django.utils.module_loading import import_string

    for path in PLATFORM_DEMOS:
        loader = import_string(path)
        if "scale" in inspect.signature(loader).parameters:
            loader(scale=scale)
        else:
            loader()


def _load_regions() -> dict[str, Region]:
    with REGIONS_CSV.open(encoding="utf-8", newline="") as stream:
        report = import_regions_csv(stream)
    if report.errors:
        raise DemoRefused("；".join(report.errors))
    return {region.code: region for region in Region.objects.all()}


def _load_departments(regions: dict[str, Region]) -> dict[str, Department]:
    depts: dict[str, Department] = {}
    for order, spec in enumerate(specs.DEPARTMENTS, start=1):
        depts[spec.key] = do_create_department(
            region=regions[spec.region], code=spec.code, name=spec.name, short_name=spec.short_name,
            doc_prefix=spec.doc_prefix, parent=depts[spec.parent] if spec.parent else None, sort_order=order * 10)
    return depts


@dataclass
class _Member:
    spec: specs.StaffSpec
    user: User


def _load_staff(depts: dict[str, Department], hashed: str) -> list[_Member]:
    roster = people.staff_roster()
    phones = people.mobile_numbers(people.rng("staff-mobiles"), set())
    members = []
    for spec in roster:
        user = User(username=spec.username, kind=UserKind.STAFF, display_name=spec.name, mobile=next(phones),
                    department=depts[spec.dept], title=spec.title, password=hashed)
        validate_password(specs.DEMO_PASSWORD, user)  # the shared password must pass the policy for everyone
        members.append(_Member(spec, user))
    User.objects.bulk_create([m.user for m in members])
    record("demo.staff.created", role="demo",
           after={"count": len(members), "usernames": [m.spec.username for m in members]})
    return members


def _grant_roles(members: list[_Member]) -> int:
    """The three admins are bootstrapped like ``createadmin``; the security admin grants the rest."""
    roles = {role.code: role for role in Role.objects.all()}
    by_name = {m.spec.username: m.user for m in members}
    for member in members:
        if roles[member.spec.role].admin_group:
            grant = Grant.objects.create(user=member.user, role=roles[member.spec.role], scope=Scope.CITY)
            record("permissions.role.granted", obj=grant, role="demo",
                   after={"user": member.user.username, "role": member.spec.role, "scope": "city", "via": "demo"})
    secadmin = by_name["secadmin"]
    count = 3
    for member in members:
        if not roles[member.spec.role].admin_group:
            check_grant_role(actor=secadmin, user=member.user, role=roles[member.spec.role], scope=member.spec.scope)
            count += 1
    return count


def _enroll_totp(members: list[_Member]) -> None:
    sysadmin = next(m.user for m in members if m.spec.username == "sysadmin")
    for member in members:
        do_create_totp_device(user=member.user, actor=sysadmin, key=people.totp_key(member.spec.username))


def _load_citizens(persons: list[people.Person], hashed: str) -> None:
    r = people.rng("verified")
    users = [User(username=p.id_number, kind=UserKind.CITIZEN, display_name=p.name, mobile=p.mobile,
                  password=hashed) for p in persons]
    User.objects.bulk_create(users, batch_size=500)
    # Most have passed real-name verification (实名核验) at a counter or through the app.
    base = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    profiles = []
    for index, (person, user) in enumerate(zip(persons, users, strict=True)):
        verified = base + timedelta(minutes=r.randrange(200_000)) if index == 0 or r.random() < 0.8 else None
        profiles.append(CitizenProfile(user=user, id_number=person.id_number, birth_date=person.birth_date,
                                       gender=person.gender, birth_place=person_facts(person.id_number).birth_place,
                                       verified_at=verified))
    CitizenProfile.objects.bulk_create(profiles, batch_size=500)
    record("demo.citizens.created", role="demo", after={"count": len(users)})


def _load_enterprises(companies: list[people.Company], hashed: str) -> None:
    users = [User(username=c.uscc, kind=UserKind.ENTERPRISE, display_name=c.name, mobile=c.legal_rep.mobile,
                  password=hashed) for c in companies]
    User.objects.bulk_create(users, batch_size=500)
    EnterpriseProfile.objects.bulk_create(
        [EnterpriseProfile(user=user, uscc=c.uscc, name=c.name, legal_rep_name=c.legal_rep.name,
                           legal_rep_id_number=c.legal_rep.id_number, address=c.address)
         for c, user in zip(companies, users, strict=True)], batch_size=500)
    record("demo.enterprises.created", role="demo", after={"count": len(users)})


# --- wiping ---------------------------------------------------------------------------

def wipe_demo() -> None:
    """Delete every user, department, region and audit entry, and the rows that hang on them.

    The audit table refuses DELETE through database triggers (等保); only here, in demo mode,
    they are dropped and recreated around the wipe, with the migration's own SQL. Everything
    happens in one transaction, so a failure leaves the old data and the triggers in place.
    """
    _refuse_in_production()
    with transaction.atomic():
        _run_trigger_sql(_triggers.SQLITE_REVERSE, _triggers.POSTGRES_REVERSE)
        AuditEntry.objects.all().delete()
        _forget_sessions_and_lockouts()
        # Trees protect their parents; unhook them so a whole tree goes in one delete.
        Department.objects.update(parent=None)
        Region.objects.update(parent=None)
        _delete_all([User, Department, Region])
        _run_trigger_sql(_triggers.SQLITE, _triggers.POSTGRES)


def reset_demo(*, scale: float = 1.0) -> DemoSummary:
    """Wipe and reload in one transaction."""
    with transaction.atomic():
        wipe_demo()
        return load_demo(scale=scale)


def _run_trigger_sql(sqlite: list[str], postgres: list[str]) -> None:
    statements = {"sqlite": sqlite, "postgresql": postgres}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _forget_sessions_and_lockouts() -> None:
    # Ids restart after a wipe on SQLite and every demo user shares one password hash, so an
    # old session could otherwise wake up as a different person.
    if settings.SESSION_ENGINE.endswith(("backends.db", "backends.cached_db")):
        apps.get_model("sessions", "Session").objects.all().delete()
    if "cache" in settings.SESSION_ENGINE:
        cache.clear()
    if apps.is_installed("axes"):
        for name in ("AccessAttempt", "AccessFailureLog"):
            apps.get_model("axes", name).objects.all().delete()


def _delete_all(targets: list[type[models.Model]]) -> None:
    """Delete all rows of ``targets``, first clearing this project's rows that PROTECT them
    (e.g. a platform app's cases pointing at users or departments)."""
    order = list(targets)
    for _ in range(10):
        try:
            with transaction.atomic():
                for model in order:
                    model._default_manager.all().delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            blocking = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
            blockers = list(dict.fromkeys(type(obj) for obj in blocking))
            foreign = [m._meta.label for m in blockers if not m.__module__.startswith("zhengtong.")]
            if foreign:
                raise DemoRefused(f"无法清空示范数据：{', '.join(foreign)} 中的记录引用了用户或部门") from exc
            order = blockers + [m for m in order if m not in blockers]
    raise DemoRefused("无法清空示范数据：记录之间的保护引用无法解开")

