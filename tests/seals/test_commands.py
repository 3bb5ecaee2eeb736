"""`kordon seals ...`: the conformance vectors through the installed command, and the authority's life."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from kordon.seals.models import Authority, RevocationList, Signer, SignerStatus
from tests.conftest import Api
from tests.seals.conftest import ROOT_PASSPHRASE, check, current

VECTORS = Path(__file__).resolve().parent.parent / "data" / "vds-nc"
KORDON = Path(sys.executable).parent / "kordon"


def kordon(*args: str, tmp_path: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """The installed command, as an administrator at a post runs it: its own (empty) database."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "KORDON_"))}
    env |= {"KORDON_DEBUG": "true", "KORDON_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'post.sqlite3'}"}
    return subprocess.run([str(KORDON), "seals", *args], input=stdin.decode(), capture_output=True, text=True,
                          env=env, timeout=60, check=False)


# ---------------------------------------------------------------------------------------------
# The conformance vectors, through the installed `kordon` command


def test_the_valid_vector_is_accepted_with_its_root_trusted(tmp_path: Path) -> None:
    done = kordon("verify", str(VECTORS / "valid.json"), "--trust", str(VECTORS / "csca.der"),
                  "--crl", str(VECTORS / "csca.crl"), tmp_path=tmp_path)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, done.stderr
    assert lines[0] == "VALID"
    assert "  pid.n: CITIZEN  JANE CATHERINE" in lines
    assert any("is stale (next update 2021-11-17)" in line for line in lines)  # reported, no crash


def test_the_tampered_vector_is_rejected(tmp_path: Path) -> None:
    done = kordon("verify", str(VECTORS / "tampered.json"), "--trust", str(VECTORS / "csca.der"),
                  tmp_path=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("INVALID: Forged or altered")


def test_the_not_a_seal_vector_is_malformed(tmp_path: Path) -> None:
    done = kordon("verify", str(VECTORS / "not-a-seal.json"), "--trust", str(VECTORS / "csca.der"),
                  tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stdout.splitlines()[0] == "MALFORMED: not a VDS-NC seal: no 'data' field"


def test_a_seal_on_standard_input(tmp_path: Path) -> None:
    done = kordon("verify", "-", "--trust", str(VECTORS / "csca.der"), tmp_path=tmp_path,
                  stdin=(VECTORS / "valid.json").read_bytes())
    assert done.returncode == 0


def test_without_a_database_only_the_given_roots_count(tmp_path: Path) -> None:
    done = kordon("verify", str(VECTORS / "valid.json"), tmp_path=tmp_path)
    assert done.returncode == 1
    assert "Note: No database here: only --trust roots are trusted." in done.stdout


# ---------------------------------------------------------------------------------------------
# The authority's life, through call_command


def run(*args: str) -> str:
    out = StringIO()
    call_command("seals", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase"
    path.write_bytes(ROOT_PASSPHRASE + b"\n")
    return path


@pytest.mark.django_db
def test_an_administrator_sets_up_signs_rotates_and_revokes(
    crossing: Any, seal_key_passphrase: str, tmp_path: Path, passphrase_file: Path
) -> None:
    key = tmp_path / "usb" / "csca-kg.pem"
    key.parent.mkdir()
    out = run("init-authority", "--country", "KG", "--name", "Kyrgyz seal authority", "--key-out", str(key),
              "--passphrase-file", str(passphrase_file))
    row = Authority.objects.get()
    assert f"SHA-256 {row.sha256}" in out
    assert key.stat().st_mode & 0o777 == 0o600 and b"ENCRYPTED PRIVATE KEY" in key.read_bytes()
    assert RevocationList.objects.filter(authority=row).count() == 1

    args = ("--authority-key", str(key), "--passphrase-file", str(passphrase_file))
    run("new-signer", *args, "--use-days", "30")
    run("new-signer", *args)
    first, second = Signer.objects.order_by("created_at")
    assert "BEGIN ENCRYPTED PRIVATE KEY" in first.encrypted_key  # never stored in the clear
    assert "signs until" in run("status")

    run("retire-signer", first.serial)
    run("revoke-signer", second.serial, *args)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (SignerStatus.RETIRED, SignerStatus.REVOKED)
    assert RevocationList.objects.filter(authority=row).count() == 2
    assert "Signing now for: nobody" in run("status")


@pytest.mark.django_db
def test_a_root_key_needs_a_long_passphrase(crossing: Any, tmp_path: Path) -> None:
    short = tmp_path / "short"
    short.write_text("secret")
    with pytest.raises(CommandError, match="at least 12 characters"):
        run("init-authority", "--country", "KG", "--name", "x", "--key-out", str(tmp_path / "k.pem"),
            "--passphrase-file", str(short))
    assert not (tmp_path / "k.pem").exists()


@pytest.mark.django_db
def test_a_wrong_passphrase_is_refused_clearly(seal_authority: Any, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong"
    wrong.write_text("not the passphrase at all")
    with pytest.raises(CommandError, match="wrong passphrase"):
        run("new-signer", "--authority-key", str(seal_authority["KG"].key_path), "--passphrase-file", str(wrong))


@pytest.mark.django_db
def test_an_existing_key_file_is_never_overwritten(seal_authority: Any, passphrase_file: Path) -> None:
    with pytest.raises(CommandError, match="never overwritten"):
        run("init-authority", "--country", "KG", "--name", "again", "--key-out", str(seal_authority["KG"].key_path),
            "--passphrase-file", str(passphrase_file))


@pytest.mark.django_db
def test_the_published_trust_list_verifies_seals_offline(
    seal_authority: Any, file_notice: Any, api: Api, tmp_path: Path
) -> None:
    filed = file_notice()
    seal_file = tmp_path / "seal.json"
    seal_file.write_text(current(filed["reference"]).document)
    api.post(f"/notices/{filed['reference']}/cancel", None, filed["access_token"])
    out = tmp_path / "stick"
    assert "2 roots, 1 withdrawn seals" in run("publish", "--out", str(out))
    assert sorted(path.suffix for path in out.iterdir()) == [".crl", ".crl", ".der", ".der", ".json"]

    done = kordon("verify", str(seal_file), "--trust-list", str(out / "trust-list.json"), tmp_path=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("INVALID: Revoked: this notice was moved to another date or cancelled")


@pytest.mark.django_db
def test_verify_trusts_this_servers_authorities(seal_authority: Any, file_notice: Any, tmp_path: Path) -> None:
    seal_file = tmp_path / "seal.json"
    seal_file.write_text(current(file_notice()["reference"]).document)
    assert run("verify", str(seal_file)).startswith("VALID")


@pytest.mark.django_db
def test_verify_exits_with_the_verdicts_status(seal_authority: Any, file_notice: Any, tmp_path: Path) -> None:
    seal_file = tmp_path / "seal.json"
    seal_file.write_text(current(file_notice()["reference"]).document.replace("ERIKSSON", "ERIKSSEN"))
    with pytest.raises(SystemExit) as exit_status:
        run("verify", str(seal_file))
    assert exit_status.value.code == 1


# ---------------------------------------------------------------------------------------------
# Demo and production


@pytest.mark.django_db
def test_the_demo_refuses_to_run_in_production(crossing: Any) -> None:
    with pytest.raises(CommandError, match="development only"):
        run("demo")


@pytest.mark.django_db
def test_the_demo_sets_up_both_states_once_and_seals_work(
    crossing: Any, settings: Any, tmp_path: Path, file_notice: Any, api: Api
) -> None:
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    settings.KORDON_SEAL_KEY_PASSPHRASE = "insecure-demo-seal-key"
    assert run("demo").count("created") == 2
    assert run("demo").count("already there") == 2
    assert Authority.objects.filter(is_demo=True).count() == 2
    filed = file_notice()
    assert check(current(filed["reference"]).document).valid


def test_the_demo_runs_from_the_installed_command(tmp_path: Path) -> None:
    env_path = tmp_path
    migrate = subprocess.run([str(KORDON), "migrate", "-v0"], capture_output=True, text=True, check=False,
                             env=_debug_env(env_path), timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    assert "Demo seals for KG: created" in kordon("demo", tmp_path=env_path).stdout
    assert list((env_path / "seals").glob("demo-authority-KG-*.pem"))


def _debug_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "KORDON_"))}
    return env | {"KORDON_DEBUG": "true", "KORDON_VAR_DIR": str(tmp_path),
                  "DATABASE_URL": f"sqlite:///{tmp_path / 'post.sqlite3'}"}


@pytest.mark.django_db
def test_production_warns_at_start_when_seals_cannot_be_issued(crossing: Any, settings: Any) -> None:
    settings.KORDON_SEAL_KEY_PASSPHRASE = ""
    [warning] = [m for m in run_checks() if m.id == "kordon.seals.W001"]
    assert "KORDON_SEAL_KEY_PASSPHRASE" in warning.msg

    settings.KORDON_SEAL_KEY_PASSPHRASE = "set"
    warnings = [m for m in run_checks() if m.id == "kordon.seals.W002"]
    assert sorted(w.msg for w in warnings) == ["Notices arriving in KG get no seal.",
                                               "Notices arriving in TJ get no seal."]
    assert "kordon seals init-authority --country KG" in (warnings[0].hint or "")


@pytest.mark.django_db
def test_no_warning_once_real_signers_are_in_use(seal_authority: Any) -> None:
    assert not [m for m in run_checks() if m.id.startswith("kordon.seals")]


def test_a_damaged_trust_list_is_an_unusable_argument(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text(json.dumps({"roots": "nope"}))
    done = kordon("verify", str(VECTORS / "valid.json"), "--trust-list", str(tmp_path / "broken.json"),
                  tmp_path=tmp_path)
    assert done.returncode == 2
    assert done.stdout.startswith("ERROR: cannot use the trust list")
    assert "a trust list has a 'roots' list" in done.stdout
