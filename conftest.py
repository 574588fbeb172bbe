"""Personas shared by every app's tests (see STYLE.md: applicant, window clerk, approver,
other-department clerk, supervisor, the three admins)."""

from __future__ import annotations

import pytest

from zhengtong.testing import personas as P


@pytest.fixture
def city(db):
    return P.make_city()


@pytest.fixture
def applicant(city):
    return P.citizen("11010519491231002X", "李娟", "13800000001")


@pytest.fixture
def enterprise_user(city):
    return P.enterprise("91110000600037341L", "示范市味道餐饮有限公司", "王强", "110101199003071233")


@pytest.fixture
def clerk(city):
    return P.staff("clerk.zhang", "张敏", city.dept("approval"), roles=["clerk"])


@pytest.fixture
def approver(city):
    return P.staff("approver.li", "李伟", city.dept("market"), roles=["approver"])


@pytest.fixture
def other_clerk(city):
    return P.staff("clerk.zhao", "赵磊", city.dept("county_approval"), roles=["clerk"])


@pytest.fixture
def dept_head(city):
    return P.staff("head.wang", "王芳", city.dept("market"), roles=["dept_head"])


@pytest.fixture
def supervisor(city):
    return P.staff("supervisor.chen", "陈刚", city.dept("supervision"), roles=["supervisor"], scope="city")


@pytest.fixture
def sysadmin(city):
    return P.staff("sys.admin", "系统管理员", city.dept("bigdata"), roles=["sysadmin"])


@pytest.fixture
def secadmin(city):
    return P.staff("sec.admin", "安全管理员", city.dept("bigdata"), roles=["secadmin"])


@pytest.fixture
def auditadmin(city):
    return P.staff("audit.admin", "审计管理员", city.dept("bigdata"), roles=["auditadmin"])


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's chromium; skip them loudly only when it is absent and not in CI."""
    import os
    import shutil

    if shutil.which("chromium"):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI needs Debian's chromium for the browser tests (scripts/ensure-chromium.sh)")
    skip = pytest.mark.skip(reason="chromium not installed (run scripts/ensure-chromium.sh)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _audit_triggers(request):
    """Every database test sees the append-only triggers; a transactional test lifts them at
    teardown so pytest-django can flush the tables (it flushes after this fixture ends)."""
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and not {"db", "transactional_db", "live_server"} & set(names):
        yield
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or "transactional_db" in names \
        or "live_server" in names
    request.getfixturevalue("transactional_db" if transactional else "db")
    from zhengtong.testing.audit import create_triggers, drop_triggers

    create_triggers()
    yield
    if transactional:
        drop_triggers()


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright, one per test module (browser tests only)."""
    from zhengtong.testing.browser import launch_chromium

    yield from launch_chromium()


@pytest.fixture
def new_page(browser):
    """A page in a fresh browser context (own cookies): one per person at the keyboard."""
    from zhengtong.testing.browser import open_page

    contexts = []

    def make():
        page = open_page(browser)
        contexts.append(page.context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English (the language cookie) leaves English active in the test thread;
    the next test starts from the default language again, whatever order tests run in."""
    yield
    from django.utils import translation

    translation.deactivate()
