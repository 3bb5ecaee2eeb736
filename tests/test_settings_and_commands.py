"""Start-up refuses bad settings with a clear message; the installed `kordon` command works."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

from kordon.posts.models import Officer
from kordon.tokens import hash_token

KORDON = str(Path(sys.executable).parent / "kordon")


def kordon(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command with only `env` for settings (and an empty var dir unless given)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KORDON_", "DJANGO_", "DATABASE_URL"))}
    clean["KORDON_VAR_DIR"] = tempfile.mkdtemp(prefix="kordon-var-")
    return subprocess.run([KORDON, *args], env=clean | env, capture_output=True, text=True, timeout=60)


def test_production_without_a_secret_key_refuses_to_start():
    result = kordon("check")
    assert result.returncode != 0
    assert "KORDON_SECRET_KEY" in result.stderr and "is required" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = kordon("check", KORDON_SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "KORDON_ALLOWED_HOSTS" in result.stderr


def test_a_malformed_boolean_names_the_variable():
    result = kordon("check", KORDON_DEBUG="perhaps")
    assert result.returncode != 0 and "KORDON_DEBUG='perhaps' is not a boolean" in result.stderr


def test_an_unreadable_secret_file_names_the_variable(tmp_path):
    result = kordon("check", KORDON_SECRET_KEY_FILE=str(tmp_path / "missing"), KORDON_ALLOWED_HOSTS="x")
    assert result.returncode != 0 and "KORDON_SECRET_KEY_FILE" in result.stderr


def test_a_bad_database_url_names_the_variable():
    result = kordon("check", KORDON_DEBUG="true", DATABASE_URL="nonsense://")
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


def test_the_installed_command_creates_an_officer_and_prints_the_token_last(tmp_path):
    env = {"KORDON_DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}", "KORDON_VAR_DIR": str(tmp_path)}
    assert kordon("migrate", "-v0", **env).returncode == 0
    assert kordon("loaddemo", **env).returncode == 0
    result = kordon("createofficer", "aibek", "--post", "kg-bordobo", "--role", "supervisor", **env)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert len(token) >= 40
    again = kordon("createofficer", "aibek", "--post", "kg-bordobo", **env)
    assert again.returncode != 0 and "exists already" in again.stderr
    unknown = kordon("createofficer", "bolot", "--post", "nowhere", **env)
    assert unknown.returncode != 0 and "kg-bordobo" in unknown.stderr


@pytest.mark.django_db
def test_createofficer_stores_only_the_tokens_hash(crossing, capsys):
    call_command("createofficer", "aibek", "--post", "kg-bordobo")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    officer = Officer.objects.get(user__username="aibek")
    assert officer.token_hash == hash_token(token) and officer.role == "officer"


@pytest.mark.django_db
def test_the_demo_data_can_be_loaded_twice(crossing):
    call_command("loaddemo")
    assert crossing.posts.count() == 2 and crossing.directions.count() == 2 and crossing.fee_lines.count() == 1


def test_the_command_reads_the_settings_file_make_run_writes(tmp_path):
    """`make run` keeps the demo's settings in var/kordon.env; `kordon createofficer` run beside it uses them."""
    (tmp_path / "kordon.env").write_text("# the demo\nKORDON_DEBUG=true\nKORDON_SECRET_KEY=from-the-file\n")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}", "KORDON_VAR_DIR": str(tmp_path)}
    assert kordon("migrate", "-v0", **env).returncode == 0
    assert kordon("loaddemo", **env).returncode == 0
    result = kordon("createofficer", "aibek", "--post", "kg-bordobo", **env)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.strip().splitlines()[-1]) >= 40


def test_the_environment_wins_over_the_settings_file(tmp_path):
    (tmp_path / "kordon.env").write_text("KORDON_DEBUG=true\n")
    result = kordon("check", KORDON_VAR_DIR=str(tmp_path), KORDON_DEBUG="false")
    assert result.returncode != 0 and "KORDON_SECRET_KEY" in result.stderr


def test_a_malformed_settings_file_names_the_file_and_line(tmp_path):
    (tmp_path / "kordon.env").write_text("KORDON_DEBUG=true\nthis is not a setting\n")
    result = kordon("check", KORDON_VAR_DIR=str(tmp_path))
    assert result.returncode != 0 and "kordon.env, line 2: write NAME=value" in result.stderr


def test_verifying_a_seal_needs_no_server_settings():
    vectors = Path(__file__).resolve().parent / "data" / "vds-nc"
    result = kordon("seals", "verify", str(vectors / "valid.json"), "--trust", str(vectors / "csca.der"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("VALID")
