"""Row models for the files in `data/`: the rules one row must keep, each with a plain message."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, PrivateAttr, field_validator, model_validator

from workshop_lib.facts.countries import known_code

Instrument = Literal["UNTOC", "TIP", "SOM"]
ActionType = Literal["ratification", "accession", "acceptance", "approval", "succession"]


class Row(BaseModel):
    """A CSV row: surrounding spaces trimmed, empty cells read as missing, no unknown columns."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")
    _line: int = PrivateAttr(default=0)  # the row's line in its file, set by the reader

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_missing(cls, value):
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("source", mode="after", check_fields=False)
    @classmethod
    def _source_not_empty(cls, value: str) -> str:
        if not value:
            raise ValueError("every fact needs a source")
        return value


def _known_iso3(value: str) -> str:
    if not known_code(value):
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-3 code")
    return value


class InstrumentRow(Row):
    id: Literal["UNTOC", "TIP", "SOM", "FIREARMS"]
    short_name: str
    title: str
    adopting_resolution: str
    adoption_date: dt.date
    entry_into_force: dt.date
    untc_chapter: str
    source: str

    @model_validator(mode="after")
    def _in_force_after_adoption(self):
        if self.entry_into_force < self.adoption_date:
            raise ValueError("entry into force is before adoption")
        return self


class RatificationRow(Row):
    instrument: Instrument
    participant: str
    iso3: str
    status: Literal["party", "signatory"]
    signature_date: dt.date | None = None
    action_date: dt.date | None = None
    action_type: ActionType | None = None
    source: str
    as_of: dt.date | None = None

    _iso3 = field_validator("iso3")(_known_iso3)

    @model_validator(mode="after")
    def _dates_and_status_agree(self):
        if self.action_date and self.signature_date and self.action_date < self.signature_date:
            raise ValueError(
                f"action date {self.action_date} is before signature date {self.signature_date}"
            )
        if self.status == "signatory" and (self.action_date or self.action_type):
            raise ValueError("a signatory row cannot have an action date or type")
        if self.status == "signatory" and not self.signature_date:
            raise ValueError("a signatory row needs a signature date")
        return self


class EvidenceRow(Row):
    instrument: Instrument
    participant: str
    iso3: str
    evidence: str
    date: str
    source: str
    note: str  # for maintainers: how the fact was found and what is doubtful
    reader_text: str | None = None  # the fact in a sentence for readers; empty: not shown

    _iso3 = field_validator("iso3")(_known_iso3)


class SourceRow(Row):
    """A source as readers see it (authority, document, dated, linked) and as maintainers need
    it (how it was obtained, what its date means)."""

    id: str
    authority: str
    document: str
    date_label: str  # "status as at", "published on", ...; alone when there is no status_date
    status_date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    url: str | None = None
    complete_list_of: Instrument | None = None  # lists every participant of that instrument
    how_obtained: str
    date_note: str | None = None
    source: str

    @field_validator("status_date")
    @classmethod
    def _partial(cls, value: str | None) -> str | None:
        return _partial_date(value)

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(f"'{value}' is not a web address")
        return value


class ReferenceTotalRow(Row):
    instrument: Instrument
    signatories: int
    parties: int
    status_date: dt.date
    source: str


class AliasRow(Row):
    alias: str
    iso3: str
    source: str

    _iso3 = field_validator("iso3")(_known_iso3)


def _partial_date(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError(f"'{value}' is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    if value is not None and len(value) == 10:
        dt.date.fromisoformat(value)
    return value


class DevelopmentRow(Row):
    date: dt.date
    precision: Literal["day", "month", "year"]
    label: str
    title: str
    symbol: str  # the document symbol, or "none"
    symbol_note: str | None = None  # why there is no symbol (required when it is "none")
    adopted_how: str  # vote, consensus, without a vote, unanimously, or "n/a"
    source: str

    @model_validator(mode="after")
    def _none_says_why(self):
        if self.symbol.lower() == "none" and not self.symbol_note:
            raise ValueError('a development without a symbol ("none") needs a symbol_note')
        return self


class RegionalInstrumentRow(Row):
    region: str
    instrument: str
    adopted: str
    in_force: str | None = None
    monitoring: str | None = None
    note: str
    source: str

    _dates = field_validator("adopted", "in_force")(_partial_date)


class ResourceRow(Row):
    title: str
    publisher: str
    year_in_session_description: str | None = None
    address: str | None = None
    note: str
    source: str

    @field_validator("address")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError(f"'{value}' is not an https:// address")
        return value


class DefinitionRow(Row):
    instrument: Literal["UNTOC", "TIP", "SOM"]
    article: str
    term: str
    text: str
    source: str
