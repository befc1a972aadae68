"""The trainer's view of a cohort's answers, as pandas DataFrames."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workshop_lib.responses.answers import flatten_answer, is_free_text
from workshop_lib.responses import open_store
from workshop_lib.responses.records import Skipped

RECORD_COLUMNS = [
    "participant",
    "display_name",
    "cohort",
    "notebook",
    "activity",
    "kind",
    "attempts",
    "first_saved",
    "last_saved",
]
ITEM_COLUMNS = ["participant", "cohort", "notebook", "activity", "kind", "field", "value", "text"]


@dataclass(frozen=True)
class CohortAnswers:
    """A cohort's records as loaded, and the files that could not be read."""

    records: list[dict]
    skipped: list[Skipped]

    def frame(self) -> pd.DataFrame:
        """One row per participant per activity; structured answers expanded into columns."""
        rows = []
        for record in self.records:
            row = {c: record.get(c) for c in RECORD_COLUMNS}
            row["answer"] = json.dumps(record["answer"], ensure_ascii=False, sort_keys=True)
            row |= {f"answer.{k}": v for k, v in flatten_answer(record["answer"]).items()}
            rows.append(row)
        frame = pd.DataFrame(rows, columns=None if rows else RECORD_COLUMNS + ["answer"])
        for column in ("first_saved", "last_saved"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        return frame.sort_values(["notebook", "activity", "participant"], ignore_index=True)

    def items(self) -> pd.DataFrame:
        """One row per answered field: choices (`text` False) and free text (`text` True)."""
        rows = [
            (
                r["participant"],
                r["cohort"],
                r["notebook"],
                r["activity"],
                r.get("kind", ""),
                key,
                value,
                is_free_text(key, r.get("kind", "")),
            )
            for r in self.records
            for key, value in flatten_answer(r["answer"]).items()
        ]
        return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def load_cohort(location: Path | str, cohort: str | None = None) -> CohortAnswers:
    """Read every answer in a responses folder or database (of one cohort, if given),
    skipping what cannot be read."""
    records, skipped = open_store(location).records(cohort)
    return CohortAnswers(records, skipped)
