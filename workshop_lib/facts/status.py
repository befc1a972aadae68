"""A country's participation in UNTOC and its Protocols, and the totals of the table.

The ratification table is complete as of 2014 and partial after that (see
`data/ratification_sources.csv`). Every answer therefore says in a sentence what it means, with
its as-of date and its sources as readers cite them (authority, document, date, address); a
status other than "party" carries a caveat saying how many parties the table still lacks, and
facts that do not fit the table follow as notes, each with its own sources. Source ids and how a
source was obtained stay available for maintainers (`source_ids`, `source_description`).

Built from the validated rows of `reader.py`, without pandas: this runs in participants' kernels.
Sentences, dates, instrument names and notes are in the current language (the notes from the
translated evidence file); the sources' authorities and date labels are translated where the
catalog knows them, their document titles stay as the sources give them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workshop_lib.dates import format_day, month_name
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
from workshop_lib.i18n.catalog import N_, _, language

if TYPE_CHECKING:
    import pandas as pd

TABLE_INSTRUMENTS = ("UNTOC", "TIP", "SOM")
NOT_PARTY = "not party"
# What a State deposits (or, for a succession, notifies), by the UN Treaty Collection's type.
DEPOSITED = {
    "ratification": N_("Party (ratification deposited on {date})."),
    "accession": N_("Party (accession deposited on {date})."),
    "acceptance": N_("Party (acceptance deposited on {date})."),
    "approval": N_("Party (approval deposited on {date})."),
    "succession": N_("Party (succession notified on {date})."),
}
# The UN Treaty Collection's types of action, as readers see them (the stored value is the key).
ACTION_TYPES = {
    "ratification": N_("ratification"),
    "accession": N_("accession"),
    "acceptance": N_("acceptance"),
    "approval": N_("approval"),
    "succession": N_("succession"),
}
# The date labels of `ratification_sources.csv` (an unknown label is shown as it is).
DATE_LABELS = frozenset(
    {
        N_("status as at"),
        N_("as of"),
        N_("copy saved on"),
        N_("copy of"),
        N_("dated"),
        N_("for"),
        N_("published in"),
        N_("published on"),
        N_("reported on"),
        N_("delivered on"),
        N_("undated"),
        N_("undated, 2023"),
        N_("undated, 2018 or later"),
        N_("undated, after April 2024"),
        N_("undated copy, from between November 2014 and 2017"),
        N_("2020 or later"),
        N_("2024 or later"),
    }
)
# The sources' authorities that have a name in the reader's language (the others keep theirs).
AUTHORITIES = frozenset(
    {
        N_("UN Treaty Collection"),
        N_("United Nations"),
        N_("UN News"),
        N_("United Nations Information Service Vienna"),
        N_("UNODC"),
        N_("UNODC Regional Office for Eastern Africa"),
        N_("UNODC Regional Office for South Asia"),
        N_("United States Department of State"),
    }
)
# A UN Treaty Collection status page named by its chapter alone ("chapter XVIII-12-b").
CHAPTER = re.compile(r"chapter (?P<number>[IVXL]+-[0-9]+(-[a-z])?)")


def action_type_words(action_type: str) -> str:
    """A type of action ('accession') in the current language."""
    return _(ACTION_TYPES[action_type]) if action_type in ACTION_TYPES else action_type


@dataclass(frozen=True)
class Citation:
    """A source as a reader cites it: authority, document and date in words, and the address
    where it can be checked ("" when none is known)."""

    text: str
    url: str = ""
    authority: str = ""
    date: str = ""  # the date part of `text` ("status as at 26 April 2024"), or ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Note:
    """A fact about a country's participation that does not fit the table, with its sources."""

    text: str
    sources: tuple[Citation, ...]

    def __str__(self) -> str:
        return _("{text} (Source: {sources})").format(
            text=self.text, sources="; ".join(map(str, self.sources))
        )


@dataclass(frozen=True)
class InstrumentStatus:
    """One country's standing under one instrument, with where that fact comes from.

    `summary` says what the status means in a sentence; `source` is the sources as readers cite
    them (`sources` with their addresses); `source_ids` and `source_description` are for
    maintainers and never shown to readers.
    """

    instrument: str
    instrument_name: str
    status: str
    signature_date: dt.date | None
    action_date: dt.date | None
    action_type: str | None
    as_of: dt.date | None
    summary: str
    sources: tuple[Citation, ...]
    source: str
    source_ids: str
    source_description: str
    caveat: str
    later_evidence: tuple[Note, ...]


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
    reference_citation: Citation
    parties_missing_from_table: int
    complete_list: Citation  # the latest source listing every participant of the instrument
    complete_list_date: dt.date | None


@dataclass(frozen=True)
class _Facts:
    """The rows a status needs, indexed once per data folder."""

    ratification: dict[tuple[str, str], RatificationRow]  # (iso3, instrument) -> row
    instruments: dict[str, InstrumentRow]
    sources: dict[str, SourceRow]  # source id -> row
    evidence: dict[tuple[str, str], tuple[EvidenceRow, ...]]  # (iso3, instrument) -> rows
    totals: dict[str, InstrumentTotal]
    index: CountryIndex


def _partial_date_words(value: str) -> str:
    """'2024-04-26' as '26 April 2024', '2014-11' as 'November 2014', '2014' as it is."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return format_day(dt.date(*parts))
    if len(parts) == 2:
        return _("{month} {year}").format(month=month_name(parts[1]), year=parts[0])
    return str(parts[0])


def _exact_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value and len(value) == 10 else None


def cite(row: SourceRow) -> Citation:
    """One source as readers cite it: 'UN Treaty Collection, chapter XVIII-12-b, status as at
    26 April 2024', with its address."""
    when = _(row.date_label) if row.date_label in DATE_LABELS else row.date_label
    if row.status_date:
        when = f"{when} {_partial_date_words(row.status_date)}"
    authority = _(row.authority) if row.authority in AUTHORITIES else row.authority
    chapter = CHAPTER.fullmatch(row.document)
    document = _("chapter {number}").format(number=chapter["number"]) if chapter else row.document
    return Citation(f"{authority}, {document}, {when}", row.url or "", authority, when)


def _citations(source_ids: str, sources: dict[str, SourceRow]) -> tuple[Citation, ...]:
    return tuple(cite(sources[sid.strip()]) for sid in source_ids.split(";"))


def _complete_list(instrument: str, sources: dict[str, SourceRow]) -> SourceRow:
    """The latest source that lists every participant of `instrument` (signatories and
    parties), against which a State it does not name is neither."""
    listing = [row for row in sources.values() if row.complete_list_of == instrument]
    return max(listing, key=lambda row: row.status_date or "")


def _totals(
    ratification: Sequence[RatificationRow],
    reference: Sequence[ReferenceTotalRow],
    sources: dict[str, SourceRow],
) -> dict[str, InstrumentTotal]:
    by_instrument = {row.instrument: row for row in reference}
    totals = {}
    for instrument in TABLE_INSTRUMENTS:
        mine = [r for r in ratification if r.instrument == instrument]
        ref = by_instrument[instrument]
        parties = sum(r.status == "party" for r in mine)
        listing = _complete_list(instrument, sources)
        totals[instrument] = InstrumentTotal(
            instrument=instrument,
            parties_in_table=parties,
            signatory_only_in_table=sum(r.status == "signatory" for r in mine),
            reference_parties=ref.parties,
            reference_signatories=ref.signatories,
            reference_date=ref.status_date,
            reference_source=ref.source,
            reference_citation=_citations(ref.source, sources)[0],
            parties_missing_from_table=max(ref.parties - parties, 0),
            complete_list=cite(listing),
            complete_list_date=_exact_date(listing.status_date),
        )
    return totals


@functools.cache
def _index(folder: Path) -> CountryIndex:
    """Every spelling of every country (in every language), with the table's participant names
    and the aliases of one data folder."""
    ratification: Sequence[RatificationRow] = reader.rows("ratification", folder)
    aliases: Sequence[AliasRow] = reader.rows("aliases", folder)
    names = {row.alias: row.iso3 for row in aliases}
    names |= {row.participant: row.iso3 for row in ratification}
    return CountryIndex.build(names)


@functools.cache
def _facts_in(folder: Path, code: str) -> _Facts:
    ratification: Sequence[RatificationRow] = reader.rows("ratification", folder, code)
    evidence: dict[tuple[str, str], tuple[EvidenceRow, ...]] = {}
    for row in reader.rows("evidence", folder, code):
        key = (row.iso3, row.instrument)
        evidence[key] = (*evidence.get(key, ()), row)
    sources: dict[str, SourceRow] = {row.id: row for row in reader.rows("sources", folder, code)}
    return _Facts(
        ratification={(row.iso3, row.instrument): row for row in ratification},
        instruments={row.id: row for row in reader.rows("instruments", folder, code)},
        sources=sources,
        evidence=evidence,
        totals=_totals(ratification, reader.rows("reference_totals", folder, code), sources),
        index=_index(folder),
    )


def _facts(folder: Path) -> _Facts:
    """The rows a status needs from one data folder, in the current language (the citations
    in `totals` are written in the language that first asked for them: one cache per language)."""
    return _facts_in(folder, language())


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

    records = []
    for total in totals(folder):
        record = asdict(total)
        record["reference_citation"] = total.reference_citation.text
        record["complete_list"] = total.complete_list.text
        records.append(record)
    frame = pd.DataFrame(records)
    frame["reference_date"] = pd.to_datetime(frame["reference_date"])
    return frame


def _source_text(source_ids: str, sources: dict[str, SourceRow]) -> str:
    """How the sources were obtained, for maintainers: 'id: how; id: how'."""
    return "; ".join(f"{sid}: {sources[sid.strip()].how_obtained}" for sid in source_ids.split(";"))


def _summary(
    row: RatificationRow | None, sources: tuple[Citation, ...], total: InstrumentTotal
) -> str:
    """What the status means, in a sentence a reader can repeat (dates and types only as the
    sources give them; what they do not give is said to be missing)."""
    if row is None:
        listing = total.complete_list
        return _(
            "Neither a party nor a signatory according to the {authority} ({status_date})."
        ).format(authority=listing.authority, status_date=listing.date)
    if row.status == "signatory":
        if row.signature_date:
            return _(
                "Signed on {date}; not a party according to the {authority} ({status_date})."
            ).format(
                date=format_day(row.signature_date),
                authority=sources[0].authority,
                status_date=sources[0].date,
            )
        return _(
            "Signed on a date not given; not a party according to the {authority} ({status_date})."
        ).format(authority=sources[0].authority, status_date=sources[0].date)
    if row.action_date and row.action_type:
        return _(DEPOSITED[row.action_type]).format(date=format_day(row.action_date))
    if row.action_date:
        return _(
            "Party (instrument deposited on {date}; the sources consulted do not give its "
            "type: ratification, accession, acceptance or approval)."
        ).format(date=format_day(row.action_date))
    if row.action_type:
        return _(
            "Party ({action_type}; the sources consulted do not give the date of the instrument)."
        ).format(action_type=action_type_words(row.action_type))
    return _("Party (the sources consulted give neither the date nor the type of its instrument).")


def _caveat(status: str, total: InstrumentTotal) -> str:
    if status == "party" or total.parties_missing_from_table == 0:
        return ""
    return _(
        "Later joiners are only partly recorded here: the UN Treaty Collection counted "
        "{parties} parties on {date}, and this workshop's table holds {in_table} of them. "
        "Check the UN Treaty Collection before you rely on this."
    ).format(
        parties=total.reference_parties,
        date=format_day(total.reference_date),
        in_table=total.parties_in_table,
    )


def _notes(rows: tuple[EvidenceRow, ...], sources: dict[str, SourceRow]) -> tuple[Note, ...]:
    return tuple(
        Note(row.reader_text, _citations(row.source, sources)) for row in rows if row.reader_text
    )


def country_status(country: str, folder: Path | None = None) -> CountryStatus:
    """Status of `country` under UNTOC, TIP and SOM: party, signatory or not party.

    `country` may be a name, an alpha-2 or alpha-3 code, or a common alternative name
    ("Turkey", "Ivory Coast", "Vietnam", "Bolivia"). Each instrument's answer carries a sentence
    saying what it means, the date and type of the action, the as-of date and the sources.
    Raises UnknownCountryError.
    """
    facts = _facts(reader.resolved(folder))
    code = facts.index.resolve(country)
    statuses = []
    for instrument in TABLE_INSTRUMENTS:
        row = facts.ratification.get((code, instrument))
        total = facts.totals[instrument]
        if row is None:
            listing = _complete_list(instrument, facts.sources)
            status, signature, action, action_type = NOT_PARTY, None, None, None
            as_of, source_ids = total.complete_list_date, listing.id
        else:
            status, signature, action = row.status, row.signature_date, row.action_date
            action_type, as_of, source_ids = row.action_type, row.as_of, row.source
        cited = _citations(source_ids, facts.sources)
        statuses.append(
            InstrumentStatus(
                instrument=instrument,
                instrument_name=facts.instruments[instrument].short_name,
                status=status,
                signature_date=signature,
                action_date=action,
                action_type=action_type,
                as_of=as_of,
                summary=_summary(row, cited, total),
                sources=cited,
                source="; ".join(c.text for c in cited),
                source_ids=source_ids,
                source_description=_source_text(source_ids, facts.sources),
                caveat=_caveat(status, total),
                later_evidence=_notes(facts.evidence.get((code, instrument), ()), facts.sources),
            )
        )
    return CountryStatus(country, code, display_name(code), tuple(statuses))
