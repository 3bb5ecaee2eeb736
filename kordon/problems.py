"""Errors as values a person can act on: which field, a stable code, and what to do."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request. `field` is a path such as `travellers[0].document_expiry`."""

    field: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


class Refused(Exception):
    """A domain operation refused its input; nothing was changed. Carries every problem found."""

    def __init__(self, problems: list[Problem], **extra: object) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
        self.extra = extra  # more top-level fields of the error body, e.g. `listed_for`

    @classmethod
    def one(cls, field: str | None, code: str, message: str, **extra: object) -> "Refused":
        return cls([Problem(field, code, message)], **extra)

    def body(self) -> dict[str, object]:
        return {"errors": [p.as_dict() for p in self.problems], **self.extra}


class ProviderFailed(Refused):
    """An outside provider (a payment network) did not do what was asked; trying again later may work."""
