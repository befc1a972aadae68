"""A participant's working session in one notebook: who they are, where answers go, and what
happens when a save fails (the answer stays in memory, can be exported, and is saved with the
next save once the store answers again). Settings come from `workshop_lib.config`.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from workshop_lib import config
from workshop_lib.errors import WorkshopError, sentence, show_in_notebooks
from workshop_lib.i18n.catalog import _
from workshop_lib.messages import Message
from workshop_lib.responses import AnswerStore, open_store
from workshop_lib.responses.answers import flatten_answer
from workshop_lib.responses.controls import (
    ActivityControls,
    closed_sentence,
    read_controls,
)
from workshop_lib.responses.records import AnswerRefusedError, utc_now


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
    store: AnswerStore
    country: str = ""
    display_name: str = ""
    unsaved: dict[str, dict] = field(default_factory=dict)

    def save(
        self, activity: str, answer: object, kind: str, new_attempt: bool = True
    ) -> SaveResult:
        """Save an answer; on failure keep it in memory and say so in one sentence. Answers kept
        in memory by earlier failures are saved first, once the store answers again. An
        activity the trainer has closed (the room's controls) saves nothing and says so."""
        self.retry_unsaved(skip=activity)
        if self.room(activity).locked:
            self.unsaved.pop(activity, None)
            return SaveResult(False, closed_sentence(kind))
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
        except AnswerRefusedError as exc:
            self._keep(activity, answer, kind)
            return SaveResult(False, sentence(exc))
        except Exception as exc:  # noqa: BLE001 - whatever happens, the answer is not lost
            if self.room(activity).locked:  # closed while saving (the database refused it)
                return SaveResult(False, closed_sentence(kind))
            self._keep(activity, answer, kind)
            reason = sentence(exc) if isinstance(exc, WorkshopError) else _reason(exc)
            return SaveResult(
                False,
                _(
                    "Your answer could not be saved in {location}: {reason} It is kept in this "
                    "notebook while it stays open: use 'Export my answers' to keep a copy, and "
                    "tell your trainer."
                ).format(location=self.store.location, reason=reason),
            )
        self.unsaved.pop(activity, None)
        saved_at = _("Saved at {time} UTC.").format(time=record["last_saved"][11:16])
        return SaveResult(True, saved_at, record)

    def retry_unsaved(self, skip: str = "") -> int:
        """Save the answers kept in memory, where the store now accepts them; return how many."""
        saved = 0
        for activity, pending in list(self.unsaved.items()):
            if activity == skip or self.room(activity).locked:
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
            except Exception:  # noqa: BLE001 - still kept in memory, tried again next time
                continue
            del self.unsaved[activity]
            saved += 1
        return saved

    def room(self, activity: str) -> ActivityControls:
        """What the trainer decided about `activity` (locked, the poll's round, its revealed
        result); open when there is nothing or it cannot be read."""
        return read_controls(self.store, self.cohort, activity)

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
        except (WorkshopError, OSError, ValueError):
            return None

    def my_answers(self) -> list[dict]:
        """All of this participant's answers in this cohort (every notebook), unsaved included."""
        try:
            saved, _skipped = self.store.participant_records(self.participant, self.cohort)
        except (WorkshopError, OSError, ValueError):
            saved = []
        pending = {(r["notebook"], r["activity"]) for r in self.unsaved.values()}
        kept = [r for r in saved if (r["notebook"], r["activity"]) not in pending]
        return sorted(
            kept + list(self.unsaved.values()), key=lambda r: (r["notebook"], r["activity"])
        )

    def export_csv(self) -> str:
        """The participant's own answers as CSV: notebook, activity, field, value (headers in
        the current language; ids and values as saved)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([_("notebook"), _("activity"), _("field"), _("value"), _("saved")])
        unsaved = _("not saved (kept in memory)")
        for record in self.my_answers():
            for key, value in flatten_answer(record["answer"]).items():
                saved = record["last_saved"] or unsaved
                writer.writerow([record["notebook"], record["activity"], key, value, saved])
        return out.getvalue()

    def export_markdown(self) -> str:
        """The participant's own answers as a Markdown document."""
        lines = ["# " + _("My answers ({cohort})").format(cohort=self.cohort), ""]
        unsaved = _("(not saved: kept in memory)")
        for record in self.my_answers():
            lines += [f"## {record['notebook']}: {record['activity']}", ""]
            for key, value in flatten_answer(record["answer"]).items():
                lines.append(f"- **{key}**: {value}")
            if not record["last_saved"]:
                lines.append(f"- *{unsaved}*")
            lines.append("")
        return "\n".join(lines)

    def export_json(self) -> str:
        """The participant's own answers as JSON."""
        return json.dumps(self.my_answers(), ensure_ascii=False, indent=1)


def where_answers_go() -> Message:
    """One sentence for the participant: their id and the folder their answers are saved in."""
    s = current()
    return Message(
        _("Your answers are saved as '{participant}' in {location}.").format(
            participant=s.participant, location=s.store.location
        )
    )


def _reason(exc: Exception) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return sentence(text)


_current: Session | None = None


def start(
    notebook: str,
    country: str = "",
    cohort: str = "",
    participant: str = "",
    responses_dir_parameter: str = "",
    display_name: str = "",
) -> Session:
    """Start (or restart) the notebook's session from its parameters; later calls share it.
    A setting that cannot work (a number where text is needed, an unknown database scheme) is
    shown as one sentence in the notebook."""
    global _current
    show_in_notebooks()
    _current = Session(
        participant=config.participant_id(participant),
        cohort=config.cohort_name(cohort),
        notebook=config.text_setting("notebook", notebook),
        store=open_store(config.responses_location(responses_dir_parameter)),
        country=config.text_setting("country", country),
        display_name=config.text_setting("display_name", display_name),
    )
    return _current


class NoSessionError(WorkshopError):
    """An exercise was shown before the notebook's first cell started the session."""


def current() -> Session:
    """The running session; refuses with one sentence when the notebook has not started one."""
    if _current is None:
        raise NoSessionError(
            _(
                "This notebook's session has not started: run the notebook from the top "
                "(Run > Run All Cells)."
            )
        )
    return _current
