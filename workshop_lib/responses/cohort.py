"""The trainer's view of a cohort's answers, as pandas DataFrames."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workshop_lib.i18n.catalog import _
from workshop_lib.responses import open_store
from workshop_lib.responses.answers import flatten_answer, is_free_text
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


def pseudonyms(participants: list[str]) -> dict[str, str]:
    """Stable labels 'Participant 01', 'Participant 02'... in the order of the sorted ids (the
    word in the current language)."""
    ordered = sorted(set(participants))
    width = max(2, len(str(len(ordered))))
    label = _("Participant {number}")
    return {p: label.format(number=f"{n:0{width}d}") for n, p in enumerate(ordered, start=1)}


@dataclass(frozen=True)
class CohortAnswers:
    """A cohort's records as loaded, and the files that could not be read."""

    records: list[dict]
    skipped: list[Skipped]

    def sorted_records(self) -> list[dict]:
        """The records by notebook, activity and participant."""
        return sorted(self.records, key=lambda r: (r["notebook"], r["activity"], r["participant"]))

    def table(
        self,
        display_names: bool = True,
        describe: Callable[[dict], tuple[str, str]] | None = None,
    ) -> tuple[list[str], Iterator[dict]]:
        """The columns and the rows (one dict per participant per activity, by notebook,
        activity and participant) of the raw table: the record's fields, the whole answer as
        JSON, and each field of a structured answer (ids as saved) in its own `answer.<field>`
        column. With `describe` (record -> (the activity's title, the answer in words)), the
        columns `activity_title` and `answer_in_words` follow `answer`. Rows are made one at a
        time, so a large cohort streams to a file."""
        ordered = self.sorted_records()
        fields: dict[str, None] = {}
        for record in ordered:
            fields.update(dict.fromkeys(flatten_answer(record["answer"])))
        base = [c for c in RECORD_COLUMNS if display_names or c != "display_name"]
        words = ["activity_title", "answer_in_words"] if describe else []
        columns = [*base, "answer", *words, *(f"answer.{k}" for k in fields)]

        def rows() -> Iterator[dict]:
            for record in ordered:
                row = {c: record.get(c) for c in base}
                row["answer"] = json.dumps(record["answer"], ensure_ascii=False, sort_keys=True)
                if describe:
                    row["activity_title"], row["answer_in_words"] = describe(record)
                for key, value in flatten_answer(record["answer"]).items():
                    row[f"answer.{key}"] = value
                yield row

        return columns, rows()

    def frame(self) -> pd.DataFrame:
        """One row per participant per activity; structured answers expanded into columns."""
        columns, rows = self.table()
        frame = pd.DataFrame(list(rows), columns=columns)
        for column in ("first_saved", "last_saved"):
            frame[column] = pd.to_datetime(frame[column], utc=True)
        return frame

    def anonymous(self) -> CohortAnswers:
        """The same answers under stable pseudonyms ('Participant 01', ...)."""
        return self.pseudonymised(pseudonyms([r["participant"] for r in self.records]))

    def pseudonymised(self, names: dict[str, str]) -> CohortAnswers:
        """The same answers with each participant id replaced by `names[id]` (kept when not
        named) and no display names."""
        records = [
            {**r, "participant": names.get(r["participant"], r["participant"]), "display_name": ""}
            for r in self.records
        ]
        return CohortAnswers(records, self.skipped)

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
