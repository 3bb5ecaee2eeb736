"""The shape of the passport reader's answer (kordon.answers says how schemas and builders meet)."""

from pydantic import Field

from kordon.answers import IsoDate, Out


class PassportOut(Out):
    """The checked MRZ lines of a data page and what they say, to fill the notice form."""

    mrz: list[str]
    surname: str
    given_names: str
    nationality: str
    sex: str
    document_number: str
    date_of_birth: IsoDate | None = Field(description="Null when the MRZ leaves it unknown")
    document_expiry: IsoDate | None = Field(description="Null when the MRZ leaves it unknown")
