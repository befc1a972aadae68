"""A country's participation in UNTOC and its Protocols, and the totals of the table.

The ratification table is complete as of 2014 and partial after that (see
`data/ratification_sources.csv`). Every answer therefore carries its as-of date and source, and a
status other than "party" carries a caveat saying how many parties the table still lacks.

Built from the validated rows of `reader.py`, without pandas: this runs in participants' kernels.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workshop_lib.dates import format_day
from workshop_lib.facts import reader
from workshop_lib.facts.countries import CountryIndex, display_name
from workshop_lib.facts.rows import (
    AliasRow,
    EvidenceRow,
    InstrumentRow,
    RatificationRow,
    ReferenceTotalRow,
    SourceRow,
)

if TYPE_CHECKING:
    import pandas as pd

TABLE_INSTRUMENTS = ("UNTOC", "TIP", "SOM")
NOT_PARTY = "not party"


@dataclass(frozen=True)
class InstrumentStatus:
    """One country's standing under one instrument, with where that fact comes from."""

    instrument: str
    instrument_name: str
    status: str
    signature_date: dt.date | None
    action_date: dt.date | None
    action_type: str | None
    as_of: dt.date | None
    source: str
    source_description: str
    caveat: str
    later_evidence: tuple[str, ...]


@dataclass(frozen=True)
class CountryStatus:
    """A country's standing under UNTOC, the TIP Protocol and the SOM Protocol."""

    query: str
    code: str
    name: str
    instruments: tuple[InstrumentStatus, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per instrument, for display or export (imports pandas: trainer tools only)."""
        import pandas as pd

        return pd.DataFrame([vars(s) for s in self.instruments])

    def __getitem__(self, instrument: str) -> InstrumentStatus:
        return next(s for s in self.instruments if s.instrument == instrument)


@dataclass(frozen=True)
class InstrumentTotal:
    """Parties and signatories of one instrument in the table, beside the UNTC totals."""

    instrument: str
    parties_in_table: int
    signatory_only_in_table: int
    reference_parties: int
    reference_signatories: int
    reference_date: dt.date
    reference_source: str
    parties_missing_from_table: int


@dataclass(frozen=True)
class _Facts:
    """The rows a status needs, indexed once per data folder."""

    ratification: dict[tuple[str, str], RatificationRow]  # (iso3, instrument) -> row
    instruments: dict[str, InstrumentRow]
    sources: dict[str, str]  # source id -> description
    evidence: dict[tuple[str, str], tuple[EvidenceRow, ...]]  # (iso3, instrument) -> rows
    totals: dict[str, InstrumentTotal]
    index: CountryIndex


def _totals(
    ratification: Sequence[RatificationRow], reference: Sequence[ReferenceTotalRow]
) -> dict[str, InstrumentTotal]:
    by_instrument = {row.instrument: row for row in reference}
    totals = {}
    for instrument in TABLE_INSTRUMENTS:
        mine = [r for r in ratification if r.instrument == instrument]
        ref = by_instrument[instrument]
        parties = sum(r.status == "party" for r in mine)
        totals[instrument] = InstrumentTotal(
            instrument=instrument,
            parties_in_table=parties,
            signatory_only_in_table=sum(r.status == "signatory" for r in mine),
            reference_parties=ref.parties,
            reference_signatories=ref.signatories,
            reference_date=ref.status_date,
            reference_source=ref.source,
            parties_missing_from_table=max(ref.parties - parties, 0),
        )
    return totals


@functools.cache
def _facts(folder: Path) -> _Facts:
    ratification: Sequence[RatificationRow] = reader.rows("ratification", folder)
    aliases: Sequence[AliasRow] = reader.rows("aliases", folder)
    evidence: dict[tuple[str, str], tuple[EvidenceRow, ...]] = {}
    for row in reader.rows("evidence", folder):
        key = (row.iso3, row.instrument)
        evidence[key] = (*evidence.get(key, ()), row)
    sources: Sequence[SourceRow] = reader.rows("sources", folder)
    names = {row.alias: row.iso3 for row in aliases}
    names |= {row.participant: row.iso3 for row in ratification}
    return _Facts(
        ratification={(row.iso3, row.instrument): row for row in ratification},
        instruments={row.id: row for row in reader.rows("instruments", folder)},
        sources={row.id: row.description for row in sources},
        evidence=evidence,
        totals=_totals(ratification, reader.rows("reference_totals", folder)),
        index=CountryIndex.build(names),
    )


def resolve_country(country: str, folder: Path | None = None) -> str:
    """Return the alpha-3 code for a name, alpha-2/alpha-3 code or common alternative name.

    Raises UnknownCountryError (its message suggests the closest names).
    """
    return _facts(reader.resolved(folder)).index.resolve(country)


def totals(folder: Path | None = None) -> tuple[InstrumentTotal, ...]:
    """Parties and signatories per instrument as the table stands, next to the UNTC totals."""
    return tuple(_facts(reader.resolved(folder)).totals.values())


def instrument_totals(folder: Path | None = None) -> pd.DataFrame:
    """`totals()` as a DataFrame, one row per instrument (imports pandas: trainer tools only)."""
    import pandas as pd

    frame = pd.DataFrame([asdict(total) for total in totals(folder)])
    frame["reference_date"] = pd.to_datetime(frame["reference_date"])
    return frame


def _source_text(source_ids: str, sources: dict[str, str]) -> str:
    return "; ".join(f"{sid}: {sources.get(sid, '')}" for sid in source_ids.split(";"))


def _caveat(status: str, total: InstrumentTotal) -> str:
    if status == "party" or total.parties_missing_from_table == 0:
        return ""
    return (
        f"This table lists {total.parties_in_table} of the {total.reference_parties} "
        f"parties the UN Treaty Collection counted on {format_day(total.reference_date)}, "
        "so a State shown here as not (yet) a party may have joined since: "
        "check the UN Treaty Collection before you rely on it."
    )


def _evidence_lines(rows: tuple[EvidenceRow, ...]) -> tuple[str, ...]:
    return tuple(
        f"{row.evidence.replace('_', ' ')}: {row.date} ({row.source}: {row.note})" for row in rows
    )


def country_status(country: str, folder: Path | None = None) -> CountryStatus:
    """Status of `country` under UNTOC, TIP and SOM: party, signatory or not party.

    `country` may be a name, an alpha-2 or alpha-3 code, or a common alternative name
    ("Turkey", "Ivory Coast", "Vietnam", "Bolivia"). Each instrument's answer carries the date
    and type of the action, the as-of date and the source. Raises UnknownCountryError.
    """
    facts = _facts(reader.resolved(folder))
    code = facts.index.resolve(country)
    statuses = []
    for instrument in TABLE_INSTRUMENTS:
        row = facts.ratification.get((code, instrument))
        total = facts.totals[instrument]
        if row is None:
            status, signature, action, action_type = NOT_PARTY, None, None, None
            as_of, source = total.reference_date, total.reference_source
        else:
            status, signature, action = row.status, row.signature_date, row.action_date
            action_type, as_of, source = row.action_type, row.as_of, row.source
        statuses.append(
            InstrumentStatus(
                instrument=instrument,
                instrument_name=facts.instruments[instrument].short_name,
                status=status,
                signature_date=signature,
                action_date=action,
                action_type=action_type,
                as_of=as_of,
                source=source,
                source_description=_source_text(source, facts.sources),
                caveat=_caveat(status, total),
                later_evidence=_evidence_lines(facts.evidence.get((code, instrument), ())),
            )
        )
    return CountryStatus(country, code, display_name(code), tuple(statuses))
