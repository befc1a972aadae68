"""A country's participation in UNTOC and its Protocols, and the totals of the table.

The ratification table is complete as of 2014 and partial after that (see
`data/ratification_sources.csv`). Every answer therefore carries its as-of date and source, and a
status other than "party" carries a caveat saying how many parties the table still lacks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workshop_lib.facts import loader as data
from workshop_lib.facts.countries import CountryIndex, display_name

TABLE_INSTRUMENTS = ("UNTOC", "TIP", "SOM")
NOT_PARTY = "not party"


def format_day(value: pd.Timestamp) -> str:
    """A date as people read it: '4 May 2024'."""
    return f"{value:%d %B %Y}".lstrip("0")


@dataclass(frozen=True)
class InstrumentStatus:
    """One country's standing under one instrument, with where that fact comes from."""

    instrument: str
    instrument_name: str
    status: str
    signature_date: pd.Timestamp | None
    action_date: pd.Timestamp | None
    action_type: str | None
    as_of: pd.Timestamp | None
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
        """One row per instrument, for display or export."""
        return pd.DataFrame([vars(s) for s in self.instruments])

    def __getitem__(self, instrument: str) -> InstrumentStatus:
        return next(s for s in self.instruments if s.instrument == instrument)


@functools.cache
def _index(folder: Path) -> CountryIndex:
    ratification = data.load_ratification(folder)
    aliases = data.load_aliases(folder)
    names = dict(zip(aliases["alias"], aliases["iso3"], strict=True))
    names |= dict(zip(ratification["participant"], ratification["iso3"], strict=True))
    return CountryIndex.build(names)


def _folder(folder: Path | None) -> Path:
    return Path(folder or data.data_dir()).resolve()


def resolve_country(country: str, folder: Path | None = None) -> str:
    """Return the alpha-3 code for a name, alpha-2/alpha-3 code or common alternative name.

    Raises UnknownCountryError (its message suggests the closest names).
    """
    return _index(_folder(folder)).resolve(country)


def _source_text(source_ids: str, sources: pd.DataFrame) -> str:
    described = sources.set_index("id")["description"]
    return "; ".join(f"{sid}: {described.get(sid, '')}" for sid in source_ids.split(";"))


def instrument_totals(folder: Path | None = None) -> pd.DataFrame:
    """Parties and signatories per instrument as the table stands, next to the UNTC totals."""
    table = data.load_ratification(folder)
    reference = data.load_reference_totals(folder).set_index("instrument")
    rows = []
    for instrument in TABLE_INSTRUMENTS:
        mine = table[table["instrument"] == instrument]
        ref = reference.loc[instrument]
        parties = int((mine["status"] == "party").sum())
        rows.append(
            {
                "instrument": instrument,
                "parties_in_table": parties,
                "signatory_only_in_table": int((mine["status"] == "signatory").sum()),
                "reference_parties": int(ref["parties"]),
                "reference_signatories": int(ref["signatories"]),
                "reference_date": ref["status_date"],
                "reference_source": ref["source"],
                "parties_missing_from_table": max(int(ref["parties"]) - parties, 0),
            }
        )
    return pd.DataFrame(rows)


def _caveat(status: str, totals: pd.Series) -> str:
    if status == "party" or totals["parties_missing_from_table"] == 0:
        return ""
    return (
        f"This table lists {totals['parties_in_table']} of the {totals['reference_parties']} "
        f"parties the UN Treaty Collection counted on {totals['reference_date']:%d %B %Y}, "
        "so a State shown here as not (yet) a party may have joined since: "
        "check the UN Treaty Collection before you rely on it."
    )


def _evidence_lines(code: str, instrument: str, evidence: pd.DataFrame) -> tuple[str, ...]:
    mine = evidence[(evidence["iso3"] == code) & (evidence["instrument"] == instrument)]
    return tuple(
        f"{row.evidence.replace('_', ' ')}: {row.date} ({row.source}: {row.note})"
        for row in mine.itertuples()
    )


def country_status(country: str, folder: Path | None = None) -> CountryStatus:
    """Status of `country` under UNTOC, TIP and SOM: party, signatory or not party.

    `country` may be a name, an alpha-2 or alpha-3 code, or a common alternative name
    ("Turkey", "Ivory Coast", "Vietnam", "Bolivia"). Each instrument's answer carries the date
    and type of the action, the as-of date and the source. Raises UnknownCountryError.
    """
    folder = _folder(folder)
    code = resolve_country(country, folder)
    table = data.load_ratification(folder)
    sources = data.load_sources(folder)
    evidence = data.load_evidence(folder)
    instruments = data.load_instruments(folder).set_index("id")
    totals = instrument_totals(folder).set_index("instrument")
    statuses = []
    for instrument in TABLE_INSTRUMENTS:
        rows = table[(table["iso3"] == code) & (table["instrument"] == instrument)]
        ref = totals.loc[instrument]
        if rows.empty:
            status, signature, action, action_type = NOT_PARTY, None, None, None
            as_of, source = ref["reference_date"], ref["reference_source"]
        else:
            row = rows.iloc[0]
            status, signature, action = row["status"], row["signature_date"], row["action_date"]
            action_type, as_of, source = row["action_type"], row["as_of"], row["source"]
        statuses.append(
            InstrumentStatus(
                instrument=instrument,
                instrument_name=instruments.loc[instrument, "short_name"],
                status=status,
                signature_date=None if pd.isna(signature) else signature,
                action_date=None if pd.isna(action) else action,
                action_type=None if pd.isna(action_type) else action_type,
                as_of=None if pd.isna(as_of) else as_of,
                source=source,
                source_description=_source_text(source, sources),
                caveat=_caveat(status, ref),
                later_evidence=_evidence_lines(code, instrument, evidence),
            )
        )
    return CountryStatus(country, code, display_name(code), tuple(statuses))
