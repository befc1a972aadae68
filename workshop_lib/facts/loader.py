"""The sourced facts in `data/` as pandas DataFrames, for the trainer's tools and the data checks.

The rows come from `reader.py`, which validates every row and the rules across rows and files;
this module only turns them into DataFrames (dates as datetime64). Notebooks that participants
run use the reader's rows directly and never import this module (pandas alone is 40 MiB).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workshop_lib.facts.reader import (
    FILES,
    FILES_CITING_SOURCE_IDS,
    DataReport,
    DataValidationError,
    Problem,
    article_37_findings,
    check_data,
    rows,
)

__all__ = [
    "DATE_COLUMNS",
    "FILES",
    "FILES_CITING_SOURCE_IDS",
    "DataReport",
    "DataValidationError",
    "Problem",
    "article_37_findings",
    "check_data",
    "load",
]

DATE_COLUMNS = {
    "instruments": ["adoption_date", "entry_into_force"],
    "ratification": ["signature_date", "action_date", "as_of"],
    "reference_totals": ["status_date"],
    "developments": ["date"],
}


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Return one data file as a DataFrame (dates as datetime64); raise DataValidationError."""
    model = FILES[name][1]
    frame = pd.DataFrame(
        [row.model_dump() for row in rows(name, folder)], columns=list(model.model_fields)
    )
    for column in DATE_COLUMNS.get(name, []):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_instruments(folder: Path | None = None) -> pd.DataFrame:
    """UNTOC and its three Protocols: title, adopting resolution, dates, UNTC chapter, source."""
    return load("instruments", folder)


def load_ratification(folder: Path | None = None) -> pd.DataFrame:
    """One row per participant per instrument (UNTOC, TIP, SOM) with dates, type and source."""
    return load("ratification", folder)


def load_evidence(folder: Path | None = None) -> pd.DataFrame:
    """Later or partial facts that do not fit the ratification table (e.g. 2025 deposits)."""
    return load("evidence", folder)


def load_sources(folder: Path | None = None) -> pd.DataFrame:
    """The sources the ratification table cites, by id, with their status dates."""
    return load("sources", folder)


def load_reference_totals(folder: Path | None = None) -> pd.DataFrame:
    """Signatory and party totals from the UN Treaty Collection (2024)."""
    return load("reference_totals", folder)


def load_aliases(folder: Path | None = None) -> pd.DataFrame:
    """Common alternative country names and the code each one means."""
    return load("aliases", folder)


def load_developments(folder: Path | None = None) -> pd.DataFrame:
    """Recent international developments (2010 onwards), dated, with their instrument symbols."""
    return load("developments", folder)


def load_regional_instruments(folder: Path | None = None) -> pd.DataFrame:
    """Regional instruments and processes against trafficking and smuggling."""
    return load("regional_instruments", folder)


def load_resources(folder: Path | None = None) -> pd.DataFrame:
    """The session description's key resource material, with years and addresses."""
    return load("resources", folder)


def load_definitions(folder: Path | None = None) -> pd.DataFrame:
    """Key treaty definitions, quoted word for word, with their articles."""
    return load("definitions", folder)
