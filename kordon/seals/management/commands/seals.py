"""`kordon seals ...`: the seal authority's keys and certificates, publishing, and verifying seals.

Root (CSCA) keys live in encrypted files the administrator holds; commands that need one take
``--authority-key FILE`` and read its passphrase from ``--passphrase-file``, from
KORDON_AUTHORITY_PASSPHRASE(_FILE), or from a prompt. Never from the command line itself, where
other users and the shell history would see it.
"""

from __future__ import annotations

import base64
import getpass
import io
import json
import sys
from argparse import ArgumentParser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from kordon.env import env_str
from kordon.seals import administration, trust
from kordon.seals.authority import KeyFileError, load_private_key
from kordon.seals.models import Authority, RevocationList, RevokedSeals, Seal, Signer
from kordon.seals.services import SealsNotConfigured, publish_revoked_seals, usable_signers
from kordon.seals.verify_cli import EXIT_MALFORMED, run_verify

Handler = Callable[[dict[str, Any]], None]


class Command(BaseCommand):
    help = "Seals (ICAO VDS-NC): authority keys, signers, revocation, trust list, verification."
    requires_system_checks: list[str] = []  # `verify` must work on a laptop with no database at all

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        self._init_authority(commands.add_parser("init-authority", help="Create a root (CSCA) key and certificate"))
        self._new_signer(commands.add_parser("new-signer", help="Issue a barcode signer from a root"))
        retire = commands.add_parser("retire-signer", help="Stop a signer signing; its seals stay valid")
        retire.add_argument("serial")
        revoke = commands.add_parser("revoke-signer", help="Revoke a signer and publish a new CRL")
        revoke.add_argument("serial")
        for sub in (revoke, commands.add_parser("renew-crl", help="Publish a fresh CRL before it goes stale")):
            _key_arguments(sub)
            sub.add_argument("--crl-days", type=int, default=administration.DEFAULT_CRL_DAYS)
        publish = commands.add_parser("publish", help="Write the trust list and certificates for offline posts")
        publish.add_argument("--out", type=Path, required=True, help="Directory to write (e.g. a USB stick)")
        commands.add_parser("status", help="Authorities, signers, revocation lists, and what needs doing")
        commands.add_parser("demo", help="A demo authority and signers (KORDON_DEBUG only)")
        self._verify(commands.add_parser("verify", help="Check a seal: JSON file, QR image, or - for stdin"))

    def _init_authority(self, parser: ArgumentParser) -> None:
        parser.add_argument("--country", required=True, help="TJ or KG")
        parser.add_argument("--name", required=True, help='e.g. "Kyrgyz Republic Border Service seal authority"')
        parser.add_argument("--key-out", type=Path, required=True, help="New encrypted key file (not on the server)")
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--crl-days", type=int, default=administration.DEFAULT_CRL_DAYS)
        parser.add_argument("--passphrase-file", type=Path)

    def _new_signer(self, parser: ArgumentParser) -> None:
        _key_arguments(parser)
        parser.add_argument("--days", type=int, default=administration.DEFAULT_SIGNER_DAYS,
                            help="Certificate validity: how long its seals stay valid (at most 366)")
        parser.add_argument("--use-days", type=int, default=administration.DEFAULT_USE_DAYS,
                            help="How long it signs new seals before the next signer takes over")
        parser.add_argument("--name", default="")

    def _verify(self, parser: ArgumentParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--trust", action="append", default=[], help="Root certificate, DER or PEM")
        parser.add_argument("--crl", action="append", default=[], help="Revocation list, DER or PEM")
        parser.add_argument("--trust-list", type=Path, help="A trust list downloaded from /api/v1/seals/trust-list")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers: dict[str, Handler] = {
            "init-authority": self.init_authority, "new-signer": self.new_signer, "retire-signer": self.retire,
            "revoke-signer": self.revoke, "renew-crl": self.renew_crl, "publish": self.publish,
            "status": self.status, "demo": self.demo, "verify": self.verify,
        }
        try:
            handlers[options["action"]](options)
        except (administration.AdministrationError, KeyFileError, SealsNotConfigured, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        except FileExistsError as exc:
            raise CommandError(f"{exc.filename} exists: a key file is never overwritten.") from exc

    # -- authority ------------------------------------------------------------------------------

    def init_authority(self, options: dict[str, Any]) -> None:
        passphrase = _passphrase(options, confirm=True)
        row = administration.set_up_authority(
            country=options["country"].upper(), name=options["name"], key_path=options["key_out"],
            passphrase=passphrase, years=options["years"], crl_days=options["crl_days"],
        )
        self.stdout.write(f"Authority {row.name} ({row.country}) created; root key written to {options['key_out']}.")
        self.stdout.write("Keep the key file off this server. Give posts this fingerprint to check the trust list:")
        self.stdout.write(f"SHA-256 {row.sha256}")

    def new_signer(self, options: dict[str, Any]) -> None:
        signer = administration.add_signer(
            _authority_key(options), valid_days=options["days"], use_days=options["use_days"], name=options["name"]
        )
        self.stdout.write(f"Signer {signer.serial} of {signer.authority.country} signs seals until "
                          f"{signer.use_until:%Y-%m-%d}; its seals stay valid until {signer.not_after:%Y-%m-%d}.")

    def retire(self, options: dict[str, Any]) -> None:
        signer = administration.retire_signer(options["serial"])
        self.stdout.write(f"Signer {signer.serial} is {signer.status}.")

    def revoke(self, options: dict[str, Any]) -> None:
        signer = administration.revoke_signer(options["serial"], _authority_key(options), days=options["crl_days"])
        self.stdout.write(f"Signer {signer.serial} is revoked. Publish the new trust list to offline posts "
                          "(`kordon seals publish`).")

    def renew_crl(self, options: dict[str, Any]) -> None:
        crl = administration.renew_crl(_authority_key(options), days=options["crl_days"])
        self.stdout.write(f"New revocation list of {crl.authority.country}, next update {crl.next_update:%Y-%m-%d}.")

    def demo(self, options: dict[str, Any]) -> None:
        for done in administration.set_up_demo(Path(settings.VAR_DIR) / "seals"):
            verb = "created" if done.created else "already there"
            self.stdout.write(f"Demo seals for {done.country}: {verb} (signer {done.signer.serial}).")

    # -- publishing -----------------------------------------------------------------------------

    def publish(self, options: dict[str, Any]) -> None:
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        publish_revoked_seals()  # a fresh issue date for posts that check the list's age
        document = trust.trust_list()
        (out / "trust-list.json").write_text(json.dumps(document, indent=1) + "\n")
        for root in document["roots"]:
            name = f"csca-{root['country']}-{root['sha256'][:12]}"
            (out / f"{name}.der").write_bytes(base64.b64decode(root["certificate"]))
            if root["revocation_list"]:
                (out / f"{name}.crl").write_bytes(base64.b64decode(root["revocation_list"]))
        self.stdout.write(f"Wrote the trust list ({len(document['roots'])} roots, "
                          f"{len(document['revoked_seals'])} withdrawn seals) to {out}.")

    def status(self, options: dict[str, Any]) -> None:
        for line in _status_lines():
            self.stdout.write(line)

    # -- verifying ------------------------------------------------------------------------------

    def verify(self, options: dict[str, Any]) -> None:
        try:
            material, notes = _configured_material(options.get("trust_list"))
        except trust.TrustListInvalid as exc:
            self.stdout.write(f"ERROR: cannot use the trust list {options['trust_list']}: {exc}")
            sys.exit(EXIT_MALFORMED)
        out = io.StringIO()
        status = run_verify(
            options["path"], trust=options["trust"], crl=options["crl"], configured_roots=material.roots,
            configured_crls=material.crls, revoked_seal_ids=material.revoked_seal_ids,
            stdin=sys.stdin.buffer, stdout=out,
        )
        self.stdout.write(out.getvalue(), ending="")
        for note in notes:
            self.stdout.write(f"Note: {note}")
        if status:
            sys.exit(status)


def _key_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--authority-key", type=Path, required=True, help="The root's encrypted key file")
    parser.add_argument("--passphrase-file", type=Path)


def _passphrase(options: dict[str, Any], *, confirm: bool = False) -> bytes:
    if options.get("passphrase_file"):
        return Path(options["passphrase_file"]).read_text().strip().encode()
    from_env = env_str("KORDON_AUTHORITY_PASSPHRASE")
    if from_env:
        return from_env.encode()
    if not sys.stdin.isatty():
        raise CommandError("Give the key's passphrase with --passphrase-file or KORDON_AUTHORITY_PASSPHRASE_FILE.")
    passphrase = getpass.getpass("Passphrase of the root key: ")
    if confirm and getpass.getpass("The same passphrase again: ") != passphrase:
        raise CommandError("The passphrases differ; nothing was created.")
    return passphrase.encode()


def _authority_key(options: dict[str, Any]) -> ec.EllipticCurvePrivateKey:
    path: Path = options["authority_key"]
    try:
        return load_private_key(path, _passphrase(options))
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc


def _configured_material(trust_list_path: Path | None) -> tuple[trust.TrustMaterial, list[str]]:
    """The downloaded trust list if given, else this server's (none when there is no database)."""
    if trust_list_path is not None:
        try:
            document = json.loads(trust_list_path.read_text())
        except (OSError, ValueError) as exc:
            raise trust.TrustListInvalid(str(exc)) from exc
        material = trust.material_from_trust_list(document)
        return material, [*material.warnings, f"Trust list of {document.get('issued_at', '?')} used."]
    try:
        material = trust.current_material()
    except DatabaseError:
        return trust.TrustMaterial([], [], frozenset()), ["No database here: only --trust roots are trusted."]
    return material, material.warnings


def _status_lines() -> list[str]:
    now, lines = timezone.now(), []
    for row in Authority.objects.all():
        crl = RevocationList.objects.filter(authority=row).first()
        stale = " (STALE: run `kordon seals renew-crl`)" if crl and crl.next_update < now else ""
        lines.append(f"Authority {row.country} {row.name}{' [demo]' if row.is_demo else ''}: SHA-256 {row.sha256}, "
                     f"valid until {row.not_after:%Y-%m-%d}; CRL next update "
                     f"{f'{crl.next_update:%Y-%m-%d}' if crl else 'none'}{stale}")
        for signer in Signer.objects.filter(authority=row):
            lines.append(f"  signer {signer.serial}: {signer.status}, signs until {signer.use_until:%Y-%m-%d}, "
                         f"vouches until {signer.not_after:%Y-%m-%d}")
    countries = {country for country in usable_signers().values_list("authority__country", flat=True)}
    lines.append(f"Signing now for: {', '.join(sorted(countries)) or 'nobody (no seals are issued)'}")
    revoked = RevokedSeals.objects.first()
    lines.append(f"Seals: {Seal.objects.filter(revoked_at__isnull=True).count()} current, "
                 f"{len(revoked.ids) if revoked else 0} on the withdrawn list"
                 f"{'' if revoked is None or revoked.document else ' (UNSIGNED: no signer could sign it)'}")
    return lines
