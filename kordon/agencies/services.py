"""What agencies and their administrators do: accounts, tokens. Each is one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kordon.agencies.models import Agency, Scope, Token
from kordon.audit.services import Actor, record
from kordon.problems import Refused
from kordon.tokens import hash_token, new_token

ALL_SCOPES = tuple(Scope.values)


@dataclass(frozen=True)
class Issued:
    token: Token
    raw: str  # shown once


def create_agency(name: str, actor: Actor, email: str = "") -> tuple[Agency, Issued]:
    """A new agency with a first token allowed everything."""
    name = name.strip()
    if not name:
        raise Refused.one("name", "required", _("Give the agency's name."))
    with transaction.atomic():
        if Agency.objects.filter(name__iexact=name).exists():
            raise Refused.one("name", "duplicate", _("An agency with this name exists already. Choose another name."))
        agency = Agency.objects.create(name=name, contact_email=email)
        record(actor, "agency.created", obj=agency, name=name)
        issued = issue_token(agency, "default", ALL_SCOPES, actor)
    return agency, issued


def issue_token(agency: Agency, name: str, scopes: Iterable[str], actor: Actor) -> Issued:
    scopes = sorted(set(scopes))
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown or not scopes:
        raise Refused.one("scopes", "invalid", _("Choose the token's scopes among: %(scopes)s.")
                          % {"scopes": ", ".join(ALL_SCOPES)})
    if not name.strip():
        raise Refused.one("name", "required", _("Give the token a name, e.g. the system that uses it."))
    raw = new_token()
    try:
        with transaction.atomic():
            token = Token.objects.create(agency=agency, name=name.strip(), token_hash=hash_token(raw), scopes=scopes)
            record(actor, "agency.token_issued", obj=token, agency=agency.pk, name=token.name, scopes=scopes)
    except IntegrityError:
        raise Refused.one("name", "duplicate", _("This agency has a token with this name already. Choose another "
                                                 "name.")) from None
    return Issued(token, raw)


def revoke_token(token: Token, actor: Actor) -> Token:
    """The token stops working at once (tokens are never remembered between requests)."""
    with transaction.atomic():
        token = Token.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor, "agency.token_revoked", obj=token, agency=token.agency_id, name=token.name)
        return token
