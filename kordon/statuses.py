"""How a refusal is answered over HTTP, by pages and API alike: one table from codes to statuses.

Services say what went wrong with a code (``kordon.problems``) and never speak HTTP; this module
is the only place that turns a code into a status.
"""

from kordon.problems import ProviderFailed, Refused

UNPROCESSABLE = 422  # a code not in the table: the request was understood and refused on its content
PROVIDER_FAILED = 502  # a payment provider did not answer; trying again later may work

BY_CODE: dict[str, int] = {
    "bad_signature": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    # The request conflicts with the state of what it names.
    "already_decided": 409,
    "already_entered": 409,
    "already_paid": 409,
    "cancelled": 409,
    "duplicate": 409,
    "idempotency_conflict": 409,
    "no_refunds": 409,
    "not_a_transfer": 409,
    "not_accepting": 409,
    "not_cancelled": 409,
    "not_on_list": 409,
    "not_owed": 409,
    "not_refundable": 409,
    "party_full": 409,
    "provider_unavailable": 409,
    "refund_deadline_passed": 409,
    "too_many_documents": 409,
    "unpaid": 409,
    # Something this server needs is missing or down.
    "documents_unavailable": 503,
    "seals_not_configured": 503,
}

# Codes whose status depends on the field, as the API has always answered them.
BY_FIELD_AND_CODE: dict[tuple[str | None, str], int] = {
    ("crossing", "not_found"): 422,  # the body names a crossing that does not exist
    ("event_id", "invalid"): 409,  # the event id was used for another stamp
}


def status_of(refused: Refused) -> int:
    """The status all the refusal's problems share; 422 when they differ (say, a duplicate and a lead time)."""
    if isinstance(refused, ProviderFailed):
        return PROVIDER_FAILED
    statuses = {_status(problem.field, problem.code) for problem in refused.problems}
    return statuses.pop() if len(statuses) == 1 else UNPROCESSABLE


def _status(field: str | None, code: str) -> int:
    return BY_FIELD_AND_CODE.get((field, code), BY_CODE.get(code, UNPROCESSABLE))
