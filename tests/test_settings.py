"""Production settings: `check --deploy` is clean, and demo conveniences refuse to start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PRODUCTION": "1",
    "DEMO_MODE": "0",
    "SECRET_KEY": "k" * 20 + "-production-secret-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "kcc.voorbeeldstad.nl",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"PRODUCTION", "DEMO_MODE", "SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_demo_mode():
    result = manage("check", **(PRODUCTION_ENV | {"DEMO_MODE": "1"}))
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = dict(PRODUCTION_ENV)
    env["SECRET_KEY"] = ""
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_seed_demo_is_refused_without_demo_mode():
    result = manage("seed_demo", DEMO_MODE="0")
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_a_half_configured_identity_provider_refuses_to_start():
    result = manage("check", DIGID_OIDC_CLIENT_ID="kcc", DIGID_OIDC_ISSUER="https://broker.example")
    assert result.returncode != 0
    assert (
        "DIGID_OIDC_CLIENT_ID is set, so these must be too: DIGID_OIDC_CLIENT_SECRET, "
        "DIGID_OIDC_AUTHORIZATION_ENDPOINT, DIGID_OIDC_TOKEN_ENDPOINT, DIGID_OIDC_JWKS_ENDPOINT"
    ) in result.stderr


def test_a_configured_identity_provider_passes_the_deploy_check():
    staff = {
        "STAFF_OIDC_CLIENT_ID": "kcc",
        "STAFF_OIDC_CLIENT_SECRET": "secret",
        "STAFF_OIDC_ISSUER": "https://login.voorbeeldstad.nl",
        "STAFF_OIDC_AUTHORIZATION_ENDPOINT": "https://login.voorbeeldstad.nl/authorize",
        "STAFF_OIDC_TOKEN_ENDPOINT": "https://login.voorbeeldstad.nl/token",
        "STAFF_OIDC_JWKS_ENDPOINT": "https://login.voorbeeldstad.nl/jwks",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, **staff)
    assert result.returncode == 0, result.stdout + result.stderr
