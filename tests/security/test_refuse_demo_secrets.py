"""The real server (gunicorn, DEBUG off) refuses to start with a demo secret or a demo account."""

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

GOOD = {
    "KORDON_DEBUG": "false", "KORDON_SECRET_KEY": "a-real-secret-of-fifty-characters-for-this-test-01",
    "KORDON_ALLOWED_HOSTS": "127.0.0.1", "KORDON_MASTER_KEY_ID": "2026-test",
    "KORDON_MASTER_KEY": "a29yZG9uLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE=", "KORDON_SEAL_KEY_PASSPHRASE": "a real one",
    "DJANGO_SETTINGS_MODULE": "kordon.settings", "KORDON_LOG_LEVEL": "WARNING",
}
BIN = Path(sys.executable).parent


def environment(directory: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KORDON_", "DATABASE_URL", "DJANGO_"))}
    return env | GOOD | {"KORDON_VAR_DIR": str(directory),
                         "DATABASE_URL": f"sqlite:///{directory / 'kordon.sqlite3'}"}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    directory = tmp_path_factory.mktemp("site")
    subprocess.run([BIN / "kordon", "migrate", "-v0"], env=environment(directory), check=True, timeout=300)
    return directory / "kordon.sqlite3"


@pytest.fixture
def site(migrated, tmp_path):
    shutil.copy(migrated, tmp_path / "kordon.sqlite3")  # each test its own copy of one migrated database
    return environment(tmp_path)


def serve(env, **changes):
    """Start gunicorn; return (exit code or None if it serves, what it logged, the API's status)."""
    port = free_port()
    server = subprocess.Popen([BIN / "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                               "kordon.wsgi:application"], env=env | changes, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            if server.poll() is not None:
                return server.returncode, server.stderr.read(), None
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/crossings", timeout=2) as answer:
                    return None, "", answer.status
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn neither served nor stopped")
    finally:
        server.terminate()
        server.wait(10)


def test_a_proper_configuration_serves(site):
    assert serve(site) == (None, "", 200)


@pytest.mark.parametrize(("change", "code"), [
    ({"KORDON_SECRET_KEY": "insecure-development-key-only-for-kordon-debug"}, "kordon.E001"),
    ({"KORDON_SEAL_KEY_PASSPHRASE": "insecure-demo-seal-key"}, "kordon.E003"),
    ({"KORDON_MASTER_KEY_ID": "demo"}, "kordon.E002"),
    ({"KORDON_SANDBOX_PAYMENTS": "true"}, "kordon.E101"),
])
def test_a_demo_secret_stops_the_start(site, change, code):
    exit_code, logged, _ = serve(site, **change)
    assert exit_code not in (None, 0)
    assert "kordon will not serve" in logged and code in logged


def test_a_demo_account_with_its_published_password_stops_the_start(site):
    make_admin = ("import django; django.setup(); from django.contrib.auth.models import User; "
                  "User.objects.create_superuser('admin', password='kordon-demo-2026')")
    subprocess.run([sys.executable, "-c", make_admin], env=site, check=True, timeout=60)
    exit_code, logged, _ = serve(site)
    assert exit_code not in (None, 0)
    assert "kordon.E004" in logged and "'admin'" in logged


def test_demo_parties_in_the_database_stop_the_start(site):
    demo = site | {"KORDON_DEBUG": "true"}
    for command in (["loaddemo"], ["demoparties"]):
        subprocess.run([BIN / "kordon", *command], env=demo, check=True, timeout=120, capture_output=True)
    exit_code, logged, _ = serve(site)
    assert exit_code not in (None, 0)
    assert "kordon.E005" in logged and "demo notice(s)" in logged


def test_the_demo_crossing_without_demo_parties_serves(site):
    """The check looks for demo parties, not for the demo crossing: loaddemo alone may serve."""
    subprocess.run([BIN / "kordon", "loaddemo"], env=site | {"KORDON_DEBUG": "true"}, check=True, timeout=120,
                   capture_output=True)
    assert serve(site) == (None, "", 200)
