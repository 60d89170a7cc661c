from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import envbool, envint, envlist, envstr

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 20 + "Zq9-Xw3_Lm7pR2tY8vB4nC6dF1gH5jK0"


def read_settings(env: dict[str, str], *names: str) -> subprocess.CompletedProcess[str]:
    """Import config.settings in a fresh interpreter with exactly this environment."""
    code = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings;"
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_envbool_reads_common_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    for raw, expected in [("true", True), ("1", True), ("Yes", True), ("off", False), ("0", False)]:
        monkeypatch.setenv("X_FLAG", raw)
        assert envbool("X_FLAG", not expected) is expected
    monkeypatch.delenv("X_FLAG")
    assert envbool("X_FLAG", True) is True


def test_envbool_rejects_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        envbool("X_FLAG", False)


def test_envint_and_envlist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUM", " 42 ")
    monkeypatch.setenv("X_LIST", " a.example, ,b.example ")
    monkeypatch.setenv("X_STR", "  padded ")
    assert envint("X_NUM", 1) == 42
    assert envlist("X_LIST") == ["a.example", "b.example"]
    assert envstr("X_STR") == "padded"
    monkeypatch.setenv("X_NUM", "forty")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be a whole number"):
        envint("X_NUM", 1)


def test_development_defaults_need_no_environment() -> None:
    result = read_settings(
        {},
        "DEBUG",
        "DATABASES",
        "CELERY_TASK_ALWAYS_EAGER",
        "EMAIL_BACKEND",
        "EMAIL_USE_TLS",
        "TIME_ZONE",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] == "True"
    assert "sqlite3" in values["DATABASES"]
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "True"
    assert values["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert values["EMAIL_USE_TLS"] == "True"  # port 587 means STARTTLS
    assert values["TIME_ZONE"] == "Asia/Jakarta"


def test_services_come_from_their_urls() -> None:
    result = read_settings(
        {
            "DATABASE_URL": "postgres://mooc:pw@db.internal:5433/mooc",
            "REDIS_URL": "redis://cache.internal:6379/1",
            "EMAIL_HOST": "smtp.internal",
            "EMAIL_PORT": "465",
            "TIME_ZONE": "Asia/Makassar",
            "ADMINS": "ops@example.go.id, dev@example.go.id",
        },
        "DATABASES",
        "CACHES",
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "EMAIL_BACKEND",
        "EMAIL_PORT",
        "EMAIL_USE_SSL",
        "EMAIL_USE_TLS",
        "ADMINS",
        "TIME_ZONE",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert "'HOST': 'db.internal'" in values["DATABASES"]
    assert "'PORT': 5433" in values["DATABASES"]
    assert "RedisCache" in values["CACHES"]
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6379/1"
    assert values["CELERY_TASK_ALWAYS_EAGER"] == "False"
    assert values["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert values["EMAIL_PORT"] == "465"
    assert values["EMAIL_USE_SSL"] == "True" and values["EMAIL_USE_TLS"] == "False"
    assert "ops@example.go.id" in values["ADMINS"] and "dev@example.go.id" in values["ADMINS"]
    assert values["TIME_ZONE"] == "Asia/Makassar"


def test_prepared_statements_can_be_turned_off_for_pgbouncer() -> None:
    url = {"DATABASE_URL": "postgres://mooc:pw@db.internal:5432/mooc"}
    on = read_settings(url, "DATABASES")
    off = read_settings({**url, "DB_PREPARED_STATEMENTS": "false"}, "DATABASES")
    assert on.returncode == 0 and off.returncode == 0, on.stderr + off.stderr
    assert "'prepare_threshold': 0" in json.loads(on.stdout)["DATABASES"]
    assert "'prepare_threshold': None" in json.loads(off.stdout)["DATABASES"]


def test_recaptcha_keys_let_googles_script_and_frame_through_the_policy() -> None:
    keys = {"RECAPTCHA_PUBLIC_KEY": "public-key", "RECAPTCHA_PRIVATE_KEY": "private-key"}
    image = read_settings({}, "CONTENT_SECURITY_POLICY")
    recaptcha = read_settings(keys, "CONTENT_SECURITY_POLICY")
    assert image.returncode == 0 and recaptcha.returncode == 0, image.stderr + recaptcha.stderr
    assert "google" not in json.loads(image.stdout)["CONTENT_SECURITY_POLICY"]
    policy = json.loads(recaptcha.stdout)["CONTENT_SECURITY_POLICY"]
    assert "https://www.gstatic.com" in policy and "https://www.google.com" in policy


def test_production_refuses_to_start_without_a_real_secret_key() -> None:
    for key in ["", "short-key"]:
        result = read_settings({"DEBUG": "false", "SECRET_KEY": key, "ALLOWED_HOSTS": "x"}, "DEBUG")
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_captcha_test_mode() -> None:
    result = read_settings(
        {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "CAPTCHA_TEST_MODE": "true"}, "DEBUG"
    )
    assert result.returncode != 0
    assert "CAPTCHA_TEST_MODE is for automated tests only" in result.stderr


def test_no_setting_remembers_a_second_factor_longer_than_30_days() -> None:
    result = read_settings({"MFA_REMEMBER_DAYS": "31"}, "DEBUG")
    assert result.returncode != 0
    assert "MFA_REMEMBER_DAYS must be between 0 (never) and 30" in result.stderr


def test_mail_cannot_use_tls_and_ssl_together() -> None:
    result = read_settings({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "DEBUG")
    assert result.returncode != 0
    assert "Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr


def test_check_deploy_is_clean_with_production_settings() -> None:
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **clean,
            "DEBUG": "false",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "example.org",
            "SITE_URL": "https://example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_files_collect_for_production(tmp_path: Path) -> None:
    """WhiteNoise's manifest storage fails on any broken reference (e.g. a missing .map)."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={
            **clean,
            "DEBUG": "false",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "example.org",
            "STATIC_ROOT": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/bootstrap.min.*.css.gz"))


# --- HSTS preload is a conscious step, not a default; the package limit sits below nginx's ---

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "mooc.example.go.id"}


def test_preload_is_off_by_default_and_its_deploy_warning_silenced_only_then() -> None:
    names = ("SECURE_HSTS_PRELOAD", "SILENCED_SYSTEM_CHECKS", "COURSE_PACKAGE_MAX_UPLOAD_BYTES")
    default = read_settings(PRODUCTION, *names)
    assert default.returncode == 0, default.stderr
    values = json.loads(default.stdout)
    assert values["SECURE_HSTS_PRELOAD"] == "False"
    assert "security.W021" in values["SILENCED_SYSTEM_CHECKS"]
    # nginx allows 512m on the package page (docs/operations.md, section 8).
    assert int(values["COURSE_PACKAGE_MAX_UPLOAD_BYTES"]) == 500 * 1024 * 1024

    chosen = read_settings({**PRODUCTION, "SECURE_HSTS_PRELOAD": "true"}, *names)
    assert chosen.returncode == 0, chosen.stderr
    values = json.loads(chosen.stdout)
    assert values["SECURE_HSTS_PRELOAD"] == "True"
    assert "security.W021" not in values["SILENCED_SYSTEM_CHECKS"]
