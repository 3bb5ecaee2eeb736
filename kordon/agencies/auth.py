"""An agency's bearer token, as an owner of notices (kordon.notices.owners).

Tokens are looked up on every request, never remembered: a revoked token is refused at once.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from kordon import throttle
from kordon.agencies.models import Agency, AgencyNotice, Group, Member, Token
from kordon.audit.services import Actor
from kordon.notices.models import Notice
from kordon.tokens import hash_token

LAST_USE_PRECISION = timedelta(minutes=1)  # "last used" is written at most once a minute per token


@dataclass
class AgencyOwner:
    token: Token
    group: Group | None = None
    actor: Actor = field(init=False)

    def __post_init__(self) -> None:
        self.actor = Actor(label=f"agency {self.token.agency.name} (token {self.token.name})")

    @property
    def agency(self) -> Agency:
        return self.token.agency

    def may(self, scope: str) -> bool:
        return scope in self.token.scopes

    def owns(self, notice: Notice) -> bool:
        return AgencyNotice.objects.filter(notice_id=notice.pk, agency_id=self.token.agency_id).exists()

    def claim(self, notice: Notice) -> None:
        AgencyNotice.objects.create(notice=notice, agency_id=self.token.agency_id, token=self.token,
                                    group=self.group)

    def guard_filing(self, request: HttpRequest) -> None:
        throttle.check(request, "agency_file_token", key=f"agency-token:{self.token.pk}")
        throttle.check(request, "agency_file_client")


def token_for(raw: str) -> Token | None:
    """The active token `raw` is, of an active agency, else None; notes its use."""
    token = (Token.objects.select_related("agency")
             .filter(token_hash=hash_token(raw), revoked_at__isnull=True, agency__is_active=True).first())
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - LAST_USE_PRECISION:
            Token.objects.filter(pk=token.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USE_PRECISION)
            ).update(last_used_at=now)
            token.last_used_at = now
    return token


def resolve(request: HttpRequest, raw: str) -> AgencyOwner | None:
    token = token_for(raw)
    return AgencyOwner(token) if token is not None else None


@dataclass
class MemberOwner:
    """A member logged in to the agency's pages: files, pays and reads as the agency."""

    member: Member
    group: Group | None = None
    actor: Actor = field(init=False)

    def __post_init__(self) -> None:
        self.actor = Actor(label=f"agency {self.member.agency.name} (user {self.member.user.get_username()})",
                           user=self.member.user)

    @property
    def agency(self) -> Agency:
        return self.member.agency

    def may(self, scope: str) -> bool:
        return True  # filers and managers both file, pay and read; managers also run the tokens

    def owns(self, notice: Notice) -> bool:
        return AgencyNotice.objects.filter(notice_id=notice.pk, agency_id=self.member.agency_id).exists()

    def claim(self, notice: Notice) -> None:
        AgencyNotice.objects.create(notice=notice, agency_id=self.member.agency_id, group=self.group)

    def guard_filing(self, request: HttpRequest) -> None:
        throttle.check(request, "agency_file_client")
