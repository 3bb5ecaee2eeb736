"""What agencies and their administrators do: accounts, tokens. Each is one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError

from kordon.agencies.auth import AgencyOwner, MemberOwner
from kordon.agencies.models import Agency, Group, Scope, Token
from kordon.audit.services import Actor, record
from kordon.notices import services as notices
from kordon.notices.api import NoticeIn, notice_input
from kordon.notices.inputs import NoticeInput
from kordon.problems import Problem, Refused
from kordon.schema_problems import problems_from_validation
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


# Groups ---------------------------------------------------------------------------------------------

MAX_BATCH = 500  # notices in one batch request


def new_group(agency: Agency, name: str, actor: Actor) -> Group:
    name = name.strip()
    if not name:
        raise Refused.one("name", "required", _("Give the group a name, e.g. the tour and its date."))
    with transaction.atomic():
        group = Group.objects.create(agency=agency, name=name)
        record(actor, "agency.group_created", obj=group, agency=agency.pk, name=name)
    return group


def file_batch(owner: AgencyOwner | MemberOwner, group: Group, items: list[Any]) -> list[dict[str, Any]]:
    """File each item as a notice of `group`, each on its own (its own transaction: a bad item never
    stops the others, and nothing of a refused item is kept). The results in the order sent."""
    filer = replace(owner, group=group)
    return [_file_item(filer, index, raw) for index, raw in enumerate(items)]


def _file_item(owner: AgencyOwner | MemberOwner, index: int, raw: Any) -> dict[str, Any]:
    key = ""
    if isinstance(raw, dict):
        raw = dict(raw)
        key = str(raw.pop("idempotency_key", "") or "")[:200]
    try:
        payload = NoticeIn.model_validate(raw)
        filed = notices.file_notice(notice_input(payload, key), owner=owner)
    except ValidationError as exc:
        return {"index": index, "outcome": "refused", "errors": [p.as_dict() for p in _schema_problems(exc)]}
    except Refused as refused:
        return {"index": index, "outcome": "refused", "errors": [p.as_dict() for p in refused.problems]}
    notice = filed.notice
    result = {"index": index, "outcome": "filed" if filed.created else "replayed", "reference": notice.reference,
              "status": notice.status, "fee": notice.fee_dict()}
    if filed.access_token:
        result["access_token"] = filed.access_token
    return result


def _schema_problems(exc: ValidationError) -> list[Problem]:
    return problems_from_validation([dict(e) for e in exc.errors()])


class _Rollback(Exception):
    pass


def file_all_or_nothing(owner: MemberOwner, name: str, inputs: list[NoticeInput | list[Problem]],
                        *, commit: bool) -> tuple[Group | None, list[list[Problem]]]:
    """File every row as a notice of a new group in one transaction, or none of them: the problems
    of each row (empty for a good one; a row may arrive with problems of its own, e.g. unreadable
    dates). With `commit` False nothing is kept even when every row is good (a check)."""
    outcome: list[list[Problem]] = []
    group: Group | None = None
    try:
        with transaction.atomic():
            group = new_group(owner.agency, name, owner.actor)
            filer = replace(owner, group=group)
            for item in inputs:
                if isinstance(item, list):
                    outcome.append(item)
                    continue
                try:
                    notices.file_notice(item, owner=filer)
                    outcome.append([])
                except Refused as refused:
                    outcome.append(list(refused.problems))
            if not commit or any(outcome):
                raise _Rollback
    except _Rollback:
        return None, outcome
    return group, outcome
