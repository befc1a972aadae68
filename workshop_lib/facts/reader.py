"""Read the sourced facts in `data/` into validated rows, with the csv module and the row models
of `rows.py` (no pandas, so a participant's kernel stays small).

Each file has a row model (pydantic) for the rules of one row; the rules that span rows or files
(duplicates, known source ids, UNTOC article 37(2)) are checked here. A broken row stops reading
with a message naming the file, the line and the rule. The article 37(2) check only reports:
a Protocol party missing from the Convention table is a gap in the table, not a row to drop.

This is the one reader: the notebooks' tables, status and cards use its rows directly, and
`loader.py` turns the same rows into pandas DataFrames for the trainer's tools.

Files with text for readers (`TRANSLATED`) are read in the current language: `data/fr/` holds
the French version of each, with the same rows (`workshop_lib.i18n.localized`); the others
(ratification table, sources, totals, aliases) exist once, in `data/`. What was read is kept per
data folder and language, so the languages never mix.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from workshop_lib.errors import WorkshopError
from workshop_lib.facts.countries import normalise
from workshop_lib.facts.rows import (
    AliasRow,
    DefinitionRow,
    DevelopmentRow,
    EvidenceRow,
    InstrumentRow,
    RatificationRow,
    ReferenceTotalRow,
    RegionalInstrumentRow,
    ResourceRow,
    Row,
    SourceRow,
)
from workshop_lib.i18n.catalog import language
from workshop_lib.i18n.localized import localized
from workshop_lib.paths import data_dir

FILES: dict[str, tuple[str, type[Row]]] = {
    "instruments": ("instruments.csv", InstrumentRow),
    "ratification": ("ratification.csv", RatificationRow),
    "evidence": ("ratification_evidence.csv", EvidenceRow),
    "sources": ("ratification_sources.csv", SourceRow),
    "reference_totals": ("reference_totals.csv", ReferenceTotalRow),
    "aliases": ("country_aliases.csv", AliasRow),
    "developments": ("developments.csv", DevelopmentRow),
    "regional_instruments": ("regional_instruments.csv", RegionalInstrumentRow),
    "resources": ("resources.csv", ResourceRow),
    "definitions": ("definitions.csv", DefinitionRow),
}
FILES_CITING_SOURCE_IDS = ("ratification", "evidence", "reference_totals")
# The files with a version in each language (`data/<code>/<file>`); the others hold facts only.
TRANSLATED = (
    "instruments",
    "evidence",
    "developments",
    "regional_instruments",
    "resources",
    "definitions",
)


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (file and line) and what."""

    file: str
    line: int | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.rule}: {self.message}"


class DataValidationError(WorkshopError, ValueError):
    """Raised when a data file breaks a rule; `problems` lists every broken rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"The workshop data has {len(problems)} problem(s):\n{listing}")


def data_file(name: str, folder: Path, code: str) -> Path:
    """The file of `name` (a key of FILES) to read in the language `code`."""
    filename = FILES[name][0]
    return localized(filename, code, folder) if name in TRANSLATED else folder / filename


def _read_rows(name: str, folder: Path, code: str) -> tuple[list[Row], list[Problem]]:
    """Validate each row of one file against its model; return the clean rows and the problems."""
    model = FILES[name][1]
    path = data_file(name, folder, code)
    filename = path.relative_to(folder).as_posix()  # "definitions.csv", "fr/definitions.csv"
    rows, problems = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in model.model_fields if f not in (reader.fieldnames or [])]
        if missing:
            return [], [Problem(filename, 1, "columns", f"missing column(s) {', '.join(missing)}")]
        for line, raw in enumerate(reader, start=2):
            try:
                row = model.model_validate(raw)
            except ValidationError as exc:
                for err in exc.errors():
                    column = ".".join(str(p) for p in err["loc"]) or "row"
                    message = err["msg"].removeprefix("Value error, ")
                    problems.append(Problem(filename, line, column, message))
            else:
                row._line = line
                rows.append(row)
    return rows, problems


def _duplicates(name: str, rows: list[Row], key: tuple[str, ...], what: str) -> list[Problem]:
    seen: dict[tuple, int] = {}
    problems = []
    for row in rows:
        k = tuple(normalise(str(getattr(row, c))) for c in key)
        if k in seen:
            problems.append(
                Problem(
                    FILES[name][0],
                    row._line,
                    "duplicate",
                    f"{what} {' / '.join(str(getattr(row, c)) for c in key)} "
                    f"already on line {seen[k]}",
                )
            )
        else:
            seen[k] = row._line
    return problems


def _unknown_sources(tables: dict[str, list[Row]]) -> list[Problem]:
    known = {row.id for row in tables["sources"]}
    problems = []
    for name in FILES_CITING_SOURCE_IDS:
        for row in tables[name]:
            for source_id in row.source.split(";"):
                if source_id.strip() not in known:
                    problems.append(
                        Problem(
                            FILES[name][0],
                            row._line,
                            "source",
                            f"source id '{source_id}' is not in {FILES['sources'][0]}",
                        )
                    )
    return problems


def article_37_findings(ratification: list[RatificationRow]) -> list[Problem]:
    """Protocol parties with no Convention party row (UNTOC art. 37(2) requires one).

    These are reported, never dropped: they show a gap in the Convention table.
    """
    convention_parties = {
        r.iso3 for r in ratification if r.instrument == "UNTOC" and r.status == "party"
    }
    return [
        Problem(
            FILES["ratification"][0],
            r._line,
            "UNTOC art. 37(2)",
            f"{r.participant} is listed as a party to the {r.instrument} Protocol "
            "but not as a party to the Convention",
        )
        for r in ratification
        if r.instrument != "UNTOC" and r.status == "party"
        if r.iso3 not in convention_parties
    ]


@dataclass(frozen=True)
class DataReport:
    """Everything read from one data folder (validated rows, by file), its errors and findings."""

    tables: dict[str, list[Row]]
    errors: list[Problem]
    findings: list[Problem]


@functools.cache
def _check(folder: Path, code: str) -> DataReport:
    tables, errors = {}, []
    for name in FILES:
        tables[name], problems = _read_rows(name, folder, code)
        errors += problems
    errors += _duplicates(
        "ratification", tables["ratification"], ("instrument", "iso3"), "participant"
    )
    errors += _duplicates("instruments", tables["instruments"], ("id",), "instrument")
    errors += _duplicates("sources", tables["sources"], ("id",), "source id")
    errors += _duplicates("aliases", tables["aliases"], ("alias",), "alias")
    errors += _duplicates("reference_totals", tables["reference_totals"], ("instrument",), "total")
    errors += _unknown_sources(tables)
    return DataReport(tables, errors, article_37_findings(tables["ratification"]))


def resolved(folder: Path | None = None) -> Path:
    """The data folder to read: `folder`, else `data_dir()`, as an absolute path (the cache key)."""
    return Path(folder or data_dir()).resolve()


def check_data(folder: Path | None = None, lang: str | None = None) -> DataReport:
    """Validate every data file, the translated ones in the current language (or `lang`);
    return what was read, the errors and the art. 37(2) findings.

    Each folder is read once per process and language."""
    return _check(resolved(folder), lang or language())


def rows(name: str, folder: Path | None = None, lang: str | None = None) -> list[Row]:
    """The validated rows of one data file (a name of FILES), in file order, in the current
    language (or `lang`); raise DataValidationError when any data file breaks a rule."""
    report = check_data(folder, lang)
    if report.errors:
        raise DataValidationError(report.errors)
    return list(report.tables[name])
