from __future__ import annotations

import os
import subprocess
import sys

import pytest

from zhengtong.lib.env import ImproperEnvironment, env_bool, env_int, env_list


def test_typed_helpers_read_and_fail_loudly(monkeypatch):
    monkeypatch.setenv("ZT_X_BOOL", "yes")
    monkeypatch.setenv("ZT_X_INT", "42")
    monkeypatch.setenv("ZT_X_LIST", "a.gov.cn, b.gov.cn,")
    assert env_bool("ZT_X_BOOL") is True
    assert env_int("ZT_X_INT", 1) == 42
    assert env_list("ZT_X_LIST") == ["a.gov.cn", "b.gov.cn"]
    assert env_int("ZT_X_MISSING", 7) == 7
    monkeypatch.setenv("ZT_X_BOOL", "maybe")
    with pytest.raises(ImproperEnvironment):
        env_bool("ZT_X_BOOL")
    monkeypatch.setenv("ZT_X_INT", "4 2")
    with pytest.raises(ImproperEnvironment):
        env_int("ZT_X_INT", 1)


def _boot(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ZT_MASTER_KEY", "DEBUG", "ZT_MODE"}}
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "zhengtong.settings"
    clean["ZT_VAR_DIR"] = "/tmp/zt-settings-test"
    code = "import django; django.setup(); print('booted')"
    return subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False)


def test_production_refuses_the_demo_secret_key():
    result = _boot(ZT_MODE="production")
    assert result.returncode != 0
    assert "演示密钥" in result.stderr


def test_production_refuses_the_demo_master_key():
    result = _boot(ZT_MODE="production", SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ZT_MASTER_KEY" in result.stderr


def test_production_refuses_the_second_factor_bypass():
    result = _boot(ZT_MODE="production", SECRET_KEY="x" * 50, ZT_MASTER_KEY="ab" * 16, ZT_DEMO_OTP_BYPASS="true")
    assert result.returncode != 0 and "ZT_DEMO_OTP_BYPASS" in result.stderr


def test_production_starts_with_real_secrets():
    result = _boot(ZT_MODE="production", SECRET_KEY="x" * 50, ZT_MASTER_KEY="ab" * 16)
    assert result.returncode == 0, result.stderr
    assert "booted" in result.stdout


def _database_options(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DB_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="zhengtong.settings", ZT_VAR_DIR="/tmp/zt-settings-test")
    code = "from django.conf import settings; print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
    result = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_prepares_statements_unless_told_not_to():
    url = "postgres://zt:zt@127.0.0.1:5432/zt"
    assert _database_options(DATABASE_URL=url) == "[('prepare_threshold', 5), ('server_side_binding', True)]"
    assert "('prepare_threshold', 2)" in _database_options(DATABASE_URL=url, DB_PREPARE_THRESHOLD="2")
    assert _database_options(DATABASE_URL=url, DB_PREPARED_STATEMENTS="false") == "[]"
    assert "server_side_binding" not in _database_options(DATABASE_URL="sqlite:////tmp/zt-settings-test/x.sqlite3")
