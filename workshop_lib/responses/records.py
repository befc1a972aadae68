"""What one saved answer is: the record model both stores write and read, its limits, and the
errors a save can meet.

A record is checked in full whenever it is read, by either store: every field of the right type
(no "3" for a number), dates as ISO 8601 UTC, and an answer of the shape its kind gives it. A
record that fails is skipped and named, never half-read, so one participant's odd file or row
cannot break the trainer's report or dashboard.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_, _

SCHEMA = "tipsom-workshop/response"
SCHEMA_VERSION = 1
MAX_TEXT_LENGTH = 10_000  # characters in any one free-text field of an answer
MAX_ID_LENGTH = 10_000  # characters in a participant, cohort, notebook or activity id
MAX_DEPTH = 6  # nesting of lists and objects in an answer
MAX_RECORD_BYTES = 4 * 1024 * 1024  # a saved record is far smaller; larger files are refused


class AnswerRefusedError(WorkshopError):
    """An answer that cannot be saved as it is (too long, or holding a character that cannot
    be stored); the message says what to change. The answer is kept in memory."""


class AnswerShapeError(AnswerRefusedError):
    """An answer whose shape does not fit its kind of exercise (a defect of the exercise)."""


class AnswerTooLongError(AnswerRefusedError):
    """A free-text answer over MAX_TEXT_LENGTH characters; it is refused, never cut."""


class InvalidIdError(WorkshopError):
    """An id that cannot name a participant, cohort, notebook or activity."""


class StoreUnavailableError(WorkshopError, OSError):
    """The store cannot be reached or written (a folder or a database); answers stay in memory."""


class UnsafeStoreError(StoreUnavailableError):
    """A folder, lock or answer file that is not what the store made (a link, another account's
    folder): the store refuses to use it."""


@dataclass(frozen=True)
class Skipped:
    """A file or row the store could not use, where it is, and why."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def utc_now() -> str:
    """The current UTC time as an ISO 8601 string ending in Z."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


BROKEN_CHARACTER = {
    "answer": N_(
        "This answer holds a character that cannot be saved (a broken character from a copy "
        "and paste); please retype that part and save again."
    ),
    "field": N_(
        "A field name holds a character that cannot be saved (a broken character from a copy "
        "and paste); please retype that part and save again."
    ),
}


def _check_text(text: str, what: str) -> None:
    """Refuse `text` that UTF-8 cannot hold; `what` is "answer" or "field" (its name)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise AnswerRefusedError(_(BROKEN_CHARACTER[what])) from None


def check_answer(answer: object, depth: int = 0) -> None:
    """Refuse an answer that cannot be stored as it is: text over MAX_TEXT_LENGTH characters,
    characters that UTF-8 cannot hold, nesting deeper than MAX_DEPTH, or values that are not
    JSON (text, numbers, true/false, lists, objects with text keys)."""
    if depth > MAX_DEPTH:
        raise AnswerRefusedError(_("This answer is nested too deeply to be saved."))
    if isinstance(answer, str):
        if len(answer) > MAX_TEXT_LENGTH:
            raise AnswerTooLongError(
                _(
                    "This answer is {length} characters long; the limit is {limit}. Please "
                    "shorten it and save again."
                ).format(length=f"{len(answer):,}", limit=f"{MAX_TEXT_LENGTH:,}")
            )
        _check_text(answer, "answer")
    elif isinstance(answer, dict):
        for key, value in answer.items():
            if not isinstance(key, str):
                raise AnswerRefusedError(_("This answer has a field name that is not text."))
            _check_text(key, "field")
            check_answer(value, depth + 1)
    elif isinstance(answer, list | tuple):
        for value in answer:
            check_answer(value, depth + 1)
    elif answer is not None and not isinstance(answer, bool | int | float):
        raise AnswerRefusedError(
            _("This answer holds a {type}, which cannot be saved.").format(
                type=type(answer).__name__
            )
        )


def check_ids(**ids: object) -> None:
    """Refuse ids that cannot name a record: not text, empty, too long, or characters that UTF-8
    cannot hold."""
    for name, value in ids.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidIdError(_("The {name} id must be non-empty text.").format(name=name))
        if len(value) > MAX_ID_LENGTH:
            raise InvalidIdError(
                _("The {name} id is longer than {limit} characters.").format(
                    name=name, limit=f"{MAX_ID_LENGTH:,}"
                )
            )
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidIdError(
                _("The {name} id holds a character that cannot be stored.").format(name=name)
            ) from None


# The shapes of answers, by the kind of exercise that saves them.
Text = Annotated[StrictStr, "free text"]
Number = StrictInt | StrictFloat


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class QuizAnswer(_Shape):
    choices: dict[StrictStr, StrictStr | list[StrictStr] | None]
    score: Number
    total: StrictInt


class ScenarioAnswer(_Shape):
    classification: StrictStr
    elements: list[StrictStr] = []
    correct: StrictBool


class PollAnswer(_Shape):
    choice: StrictStr


class ChecklistRow(_Shape):
    answer: StrictStr = ""
    note: StrictStr = ""


class CountryAnswer(_Shape):
    country: StrictStr


class DecisionAidAnswer(_Shape):
    facts: list[StrictStr]
    classification: StrictStr


JSON_VALUE = TypeAdapter(Any)
ANSWER_SHAPES: dict[str, TypeAdapter] = {
    "quiz": TypeAdapter(QuizAnswer),
    "scenario": TypeAdapter(ScenarioAnswer),
    "poll": TypeAdapter(PollAnswer),
    "note": TypeAdapter(StrictStr),
    "checklist": TypeAdapter(dict[StrictStr, ChecklistRow]),
    "choice": TypeAdapter(CountryAnswer),
    "decision-aid": TypeAdapter(DecisionAidAnswer),
}


def _utc_timestamp(value: str) -> str:
    if not value.endswith("Z"):
        raise ValueError("must be an ISO 8601 UTC time ending in Z")
    dt.datetime.fromisoformat(value.removesuffix("Z") + "+00:00")
    return value


class Record(BaseModel):
    """One participant's latest answer to one activity, as both stores keep it."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)

    schema_: Literal["tipsom-workshop/response"] = SCHEMA
    schema_version: Literal[1] = SCHEMA_VERSION
    participant: StrictStr
    display_name: StrictStr = ""
    cohort: StrictStr
    notebook: StrictStr
    activity: StrictStr
    kind: StrictStr
    answer: Any
    attempts: StrictInt
    first_saved: StrictStr
    last_saved: StrictStr

    @field_validator("participant", "cohort", "notebook", "activity", "kind")
    @classmethod
    def _an_id(cls, value: str) -> str:
        if not value.strip() or len(value) > MAX_ID_LENGTH:
            raise ValueError(f"must be non-empty text of at most {MAX_ID_LENGTH:,} characters")
        return value

    @field_validator("first_saved", "last_saved")
    @classmethod
    def _a_time(cls, value: str) -> str:
        return _utc_timestamp(value)

    @field_validator("attempts")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be 1 or more")
        return value

    def as_dict(self) -> dict:
        """The record as the plain dict that readers (report, dashboard, exports) use."""
        data = self.model_dump()
        data["schema"] = data.pop("schema_")
        return data


def _plain_reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]).replace("schema_", "schema") or "record"
    return f"{where}: {first['msg']}"


def validate_record(data: object) -> dict:
    """Check a record read from a store in full and return it as a dict; raise ValueError with
    a plain reason when any field or the answer's shape is wrong."""
    if not isinstance(data, dict):
        raise ValueError(_("not a workshop response record"))
    if data.get("schema") != SCHEMA:
        raise ValueError(_("not a workshop response record"))
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise ValueError(
            _(
                "written by a newer version of the workshop (schema {version}); update the package"
            ).format(version=version)
        )
    try:
        record = Record.model_validate({**data, "schema_": data["schema"]})
        try:
            check_answer(record.answer)
        except AnswerRefusedError as exc:
            raise ValueError(str(exc)) from None
        shape = ANSWER_SHAPES.get(record.kind)
        if shape is not None:
            shape.validate_python(record.answer)
    except ValidationError as exc:
        raise ValueError(_plain_reason(exc)) from None
    return record.as_dict()


def parse_record_text(text: str) -> dict:
    """Parse and validate one record from JSON text; raise ValueError with a plain reason."""
    if not text.strip():
        raise ValueError(_("the file is empty"))
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            _("not valid JSON ({problem} at line {line})").format(problem=exc.msg, line=exc.lineno)
        ) from None
    except RecursionError:
        raise ValueError(_("nested too deeply to read")) from None
    return validate_record(data)


def checked_record(record: dict) -> dict:
    """`record` about to be saved, checked exactly as a reader will check it; raises
    AnswerShapeError rather than save what no report could read."""
    try:
        return validate_record(record)
    except ValueError as exc:
        raise AnswerShapeError(
            _("This answer cannot be saved as it is ({problem}).").format(problem=exc)
        ) from None


def new_record(
    previous: dict | None,
    *,
    participant: str,
    cohort: str,
    notebook: str,
    activity: str,
    kind: str,
    answer: object,
    display_name: str,
    new_attempt: bool,
) -> dict:
    """The record to write over `previous` (or as the first one): attempts counted, the first
    save time kept, the display name kept unless a new one is given."""
    now = utc_now()
    previous = previous or {}
    attempts = previous.get("attempts", 0) + (1 if new_attempt else 0)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "participant": participant,
        "display_name": display_name or previous.get("display_name", ""),
        "cohort": cohort,
        "notebook": notebook,
        "activity": activity,
        "kind": kind,
        "answer": answer,
        "attempts": max(attempts, 1),
        "first_saved": previous.get("first_saved", now),
        "last_saved": now,
    }
