"""A participant's working session in one notebook: who they are, where answers go, and what
happens when a save fails (the answer stays in memory and can be exported).

Answers go to the notebook's `responses_dir` parameter when given (a folder, or a database URL),
else the environment variable `WORKSHOP_RESPONSES_URL` (a database), else
`WORKSHOP_RESPONSES_DIR` (a folder), else `responses/` beside the notebooks.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from workshop_lib.answers import flatten_answer
from workshop_lib.identity import InvalidIdError, participant_id
from workshop_lib.messages import Message
from workshop_lib.paths import notebooks_dir
from workshop_lib.store import AnswerTooLongError, ResponseStore, open_store, utc_now

RESPONSES_ENV = "WORKSHOP_RESPONSES_DIR"
RESPONSES_URL_ENV = "WORKSHOP_RESPONSES_URL"
DEFAULT_COHORT = "demo"


def responses_location(parameter: str = "") -> str | Path:
    """Where answers are saved: the parameter, else $WORKSHOP_RESPONSES_URL, else
    $WORKSHOP_RESPONSES_DIR, else the default folder. A database URL comes back as a string."""
    if parameter and str(parameter).strip():
        return str(parameter).strip() if "://" in str(parameter) else Path(parameter).expanduser()
    if os.environ.get(RESPONSES_URL_ENV, "").strip():
        return os.environ[RESPONSES_URL_ENV].strip()
    if os.environ.get(RESPONSES_ENV, "").strip():
        return Path(os.environ[RESPONSES_ENV]).expanduser()
    return notebooks_dir() / "responses"


@dataclass(frozen=True)
class SaveResult:
    """The outcome of one save, with the sentence to show the participant."""

    ok: bool
    message: str
    record: dict | None = None


@dataclass
class Session:
    """One participant in one notebook of one cohort."""

    participant: str
    cohort: str
    notebook: str
    store: ResponseStore  # or a SqlResponseStore: the same methods
    country: str = ""
    display_name: str = ""
    unsaved: dict[str, dict] = field(default_factory=dict)

    def save(
        self, activity: str, answer: object, kind: str, new_attempt: bool = True
    ) -> SaveResult:
        """Save an answer; on failure keep it in memory and say so in one sentence. Answers kept
        in memory by earlier failures are saved first, once the store answers again."""
        self.retry_unsaved(skip=activity)
        try:
            record = self.store.save(
                self.participant,
                self.cohort,
                self.notebook,
                activity,
                answer,
                kind=kind,
                display_name=self.display_name,
                new_attempt=new_attempt,
            )
        except AnswerTooLongError as exc:
            self._keep(activity, answer, kind)
            return SaveResult(False, str(exc))
        except (OSError, InvalidIdError) as exc:
            self._keep(activity, answer, kind)
            reason = getattr(exc, "strerror", None) or str(exc)
            return SaveResult(
                False,
                f"Your answer could not be saved in {self.store.location} ({reason}). It is kept "
                "in this notebook while it stays open: use 'Export my answers' to keep a copy, "
                "and tell your trainer.",
            )
        self.unsaved.pop(activity, None)
        return SaveResult(True, f"Saved at {record['last_saved'][11:16]} UTC.", record)

    def retry_unsaved(self, skip: str = "") -> int:
        """Save the answers kept in memory, where the store now accepts them; return how many."""
        saved = 0
        for activity, pending in list(self.unsaved.items()):
            if activity == skip:
                continue
            try:
                self.store.save(
                    self.participant,
                    self.cohort,
                    pending["notebook"],
                    activity,
                    pending["answer"],
                    kind=pending["kind"],
                    display_name=self.display_name,
                    new_attempt=False,
                )
            except (OSError, InvalidIdError, AnswerTooLongError):
                continue
            del self.unsaved[activity]
            saved += 1
        return saved

    def _keep(self, activity: str, answer: object, kind: str) -> None:
        self.unsaved[activity] = {
            "participant": self.participant,
            "cohort": self.cohort,
            "notebook": self.notebook,
            "activity": activity,
            "kind": kind,
            "answer": answer,
            "last_saved": "",
            "kept_in_memory_at": utc_now(),
        }

    def load(self, activity: str) -> dict | None:
        """This participant's latest answer to `activity`: unsaved in memory first, then saved."""
        if activity in self.unsaved:
            return self.unsaved[activity]
        try:
            return self.store.load(self.participant, self.cohort, self.notebook, activity)
        except InvalidIdError:
            return None

    def my_answers(self) -> list[dict]:
        """All of this participant's answers in this cohort (every notebook), unsaved included."""
        try:
            saved, _ = self.store.participant_records(self.participant, self.cohort)
        except (OSError, InvalidIdError):
            saved = []
        pending = {(r["notebook"], r["activity"]) for r in self.unsaved.values()}
        kept = [r for r in saved if (r["notebook"], r["activity"]) not in pending]
        return sorted(
            kept + list(self.unsaved.values()), key=lambda r: (r["notebook"], r["activity"])
        )

    def export_csv(self) -> str:
        """The participant's own answers as CSV: notebook, activity, field, value."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["notebook", "activity", "field", "value", "saved"])
        for record in self.my_answers():
            for key, value in flatten_answer(record["answer"]).items():
                saved = record["last_saved"] or "not saved (kept in memory)"
                writer.writerow([record["notebook"], record["activity"], key, value, saved])
        return out.getvalue()

    def export_markdown(self) -> str:
        """The participant's own answers as a Markdown document."""
        lines = [f"# My answers ({self.cohort})", ""]
        for record in self.my_answers():
            lines += [f"## {record['notebook']}: {record['activity']}", ""]
            for key, value in flatten_answer(record["answer"]).items():
                lines.append(f"- **{key}**: {value}")
            if not record["last_saved"]:
                lines.append("- *(not saved: kept in memory)*")
            lines.append("")
        return "\n".join(lines)

    def export_json(self) -> str:
        """The participant's own answers as JSON."""
        return json.dumps(self.my_answers(), ensure_ascii=False, indent=1)


def where_answers_go() -> Message:
    """One sentence for the participant: their id and the folder their answers are saved in."""
    s = current()
    return Message(f"Your answers are saved as '{s.participant}' in {s.store.location}.")


_current: Session | None = None


def start(
    notebook: str,
    country: str = "",
    cohort: str = "",
    participant: str = "",
    responses_dir_parameter: str = "",
    display_name: str = "",
) -> Session:
    """Start (or restart) the notebook's session from its parameters; later calls share it."""
    global _current
    _current = Session(
        participant=participant_id(participant),
        cohort=cohort.strip() or DEFAULT_COHORT,
        notebook=notebook,
        store=open_store(responses_location(responses_dir_parameter)),
        country=country,
        display_name=display_name,
    )
    return _current


def current() -> Session:
    """The running session; a default one (from the environment) when none was started."""
    return _current or start(notebook="notebook")
