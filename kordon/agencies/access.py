"""Who acts for an agency on its own endpoints: one of its tokens, with the scope the call needs."""

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kordon.agencies.auth import AgencyOwner
from kordon.notices.access import require_scope
from kordon.notices.owners import owner_for
from kordon.posts.auth import bearer_token
from kordon.problems import Refused


def agency_owner(request: HttpRequest, scope: str) -> AgencyOwner:
    owner = owner_for(request, bearer_token(request))
    if not isinstance(owner, AgencyOwner):
        raise Refused.one(None, "unauthorized", _("Send an agency's API token: Authorization: Bearer <token>."))
    require_scope(owner, scope)
    return owner
