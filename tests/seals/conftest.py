"""A real (not demo) seal authority for each state, set up the way an administrator would."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from kordon.crossings.models import Crossing
from kordon.seals import administration, trust
from kordon.seals.authority import load_private_key
from kordon.seals.models import Authority, Seal, Signer
from kordon.seals.vdsnc import Verdict, verify_seal

ROOT_PASSPHRASE = b"correct horse battery staple"
SEAL_KEY_PASSPHRASE = "test-seal-key-passphrase-0123456789"


@dataclass(frozen=True)
class StateAuthority:
    row: Authority
    key: ec.EllipticCurvePrivateKey
    key_path: Path
    signer: Signer


@pytest.fixture
def seal_key_passphrase(settings: Any) -> str:
    settings.KORDON_SEAL_KEY_PASSPHRASE = SEAL_KEY_PASSPHRASE
    return SEAL_KEY_PASSPHRASE


def set_up_state(country: str, directory: Path) -> StateAuthority:
    path = directory / f"csca-{country}.pem"
    row = administration.set_up_authority(
        country=country, name=f"Test seal authority {country}", key_path=path, passphrase=ROOT_PASSPHRASE
    )
    key = load_private_key(path, ROOT_PASSPHRASE)
    return StateAuthority(row, key, path, administration.add_signer(key))


@pytest.fixture
def seal_authority(crossing: Crossing, seal_key_passphrase: str, tmp_path: Path) -> dict[str, StateAuthority]:
    """Authorities and signers of KG and TJ; notices TJ-KG are sealed by KG's."""
    return {country: set_up_state(country, tmp_path) for country in ("KG", "TJ")}


def check(seal: str | dict[str, Any], **kwargs: Any) -> Verdict:
    """Verify against the published trust list, as a post that synced just now."""
    material = trust.current_material()
    return verify_seal(seal, roots=material.roots, crls=material.crls,
                       revoked_seal_ids=material.revoked_seal_ids, **kwargs)


def current(reference: str) -> Seal:
    return Seal.objects.get(notice__reference=reference, revoked_at__isnull=True)


def document(seal: Seal) -> dict[str, Any]:
    return dict(json.loads(seal.document))
