"""Production mode refuses to start half-configured, and passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys

PROD = {
    "CROWNLINE_DEBUG": "0",
    "CROWNLINE_SECRET_KEY": "x7Qp-" + "k" * 20 + "Zr9sT2vW4yB6nD8fH0jL3mP5qS7uV9wX1zA",
    "CROWNLINE_ALLOWED_HOSTS": "lab.example.com",
}


def _clean_env() -> dict[str, str]:
    """This process's environment less our settings and the browser tests' async-safety switch."""
    return {
        k: v for k, v in os.environ.items()
        if (not k.startswith("CROWNLINE_") or k == "CROWNLINE_DATA_DIR") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }


def _crownline(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = _clean_env()
    return subprocess.run(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "crownline.cli", *args], env={**clean, **env}, capture_output=True, text=True,
        timeout=120, check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = _crownline("check", "--deploy", "--fail-level", "WARNING", **PROD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key_and_allowed_hosts():
    result = _crownline("check", CROWNLINE_DEBUG="0")
    assert result.returncode != 0
    assert "CROWNLINE_SECRET_KEY" in result.stderr and "CROWNLINE_ALLOWED_HOSTS" in result.stderr


def test_production_cookies_are_secure_and_framing_is_denied():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS > 0, s.X_FRAME_OPTIONS)"
    )
    clean = _clean_env()
    result = subprocess.run(  # noqa: S603 - our own settings
        [sys.executable, "-c", probe], env={**clean, **PROD, "DJANGO_SETTINGS_MODULE": "crownline.settings"},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "DENY"], result.stderr


def test_an_oversized_request_body_gets_a_clear_413(cast, api, order_in):
    order = order_in("draft")
    response = api(cast.dentist_a1).post(f"/orders/{order.number}/comments", {"body": "x" * 300_000})
    assert response.status_code == 413
    assert "KB" in response.json()["detail"]
    assert not order.comments.exists()


def test_the_wsgi_entry_point_loads_every_view_and_freezes_them_out_of_the_garbage_collectors_walks():
    probe = (
        "import gc, sys; import crownline.wsgi; "
        "print(gc.get_freeze_count(), gc.get_threshold()[0], 'crownline.orders.api' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - our own module
        [sys.executable, "-c", probe], env={**_clean_env(), **PROD}, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    frozen, threshold, views_loaded = result.stdout.split()
    # Django, ninja and pydantic alone are well over 50,000 objects once the views are loaded.
    assert int(frozen) > 50_000
    assert int(threshold) == 10_000
    assert views_loaded == "True"
