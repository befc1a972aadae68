"""Exercise content from `data/exercises/` (YAML): quizzes, scenarios, the checklist, polls
and discussion prompts. Each file is validated on load; a broken one raises ContentError naming
the file and the rule, so a trainer who adds a question sees at once what to fix.

Every activity knows its own `activity_id` (the key its answers are saved under), its `kind`
(the shape of its answers) and its `notebook` (the agenda notebook that shows it), so widgets,
the demo cohort, the dashboard and the report all use the same ids.

Content is read in the current language (`workshop_lib.i18n.localized`): `data/fr/exercises/...`
when French is spoken, else `data/exercises/...`; each file is cached by its path, so English
and French content never mix. A poll's `options` and the checklist's `scale` are the labels of
the file read; what is stored is always the English option at the same position (`values`,
`choices()`), and `label_of(value)` turns a stored value back into the label to show.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, PrivateAttr, model_validator

from workshop_lib.errors import WorkshopError
from workshop_lib.exercises.elements import (
    CLASSIFICATIONS,
    SOM_ELEMENTS,
    TIP_ELEMENTS,
    CaseFacts,
    assess,
)
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.i18n.localized import localized
from workshop_lib.paths import data_dir
from workshop_lib.yaml_files import StrictModel, read_yaml_model

FACT_FIELDS = {f.name for f in dataclasses.fields(CaseFacts)}
MARKED_ELEMENTS = set(TIP_ELEMENTS) | set(SOM_ELEMENTS)  # the elements a participant ticks


class ContentError(WorkshopError, ValueError):
    """A content file that is missing, unreadable or breaks a rule."""


class Option(StrictModel):
    id: str
    text: str


class QuizItem(StrictModel):
    id: str
    type: Literal["single", "multiple", "truefalse"]
    question: str
    options: tuple[Option, ...] = ()
    correct: str | bool | tuple[str, ...]
    explanation: str
    source: str

    @model_validator(mode="after")
    def _answer_fits_the_type(self):
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"item {self.id}: option ids repeat")
        if self.type == "truefalse":
            if self.options or not isinstance(self.correct, bool):
                raise ValueError(
                    f"item {self.id}: a true/false item has no options and "
                    "`correct: true` or `correct: false`"
                )
        elif self.type == "single":
            if not isinstance(self.correct, str) or self.correct not in ids or len(ids) < 2:
                raise ValueError(f"item {self.id}: `correct` must be exactly one option id")
        elif (
            not isinstance(self.correct, tuple)
            or not self.correct
            or not set(self.correct) <= set(ids)
            or len(set(self.correct)) != len(self.correct)
        ):
            raise ValueError(f"item {self.id}: `correct` must be a list of option ids")
        return self

    def choices(self) -> list[tuple[str, str]]:
        """(label, id) pairs in display order; true/false items get True and False (in the
        current language; the ids stay "true" and "false")."""
        if self.type == "truefalse":
            return [(_("True"), "true"), (_("False"), "false")]
        return [(o.text, o.id) for o in self.options]

    def correct_ids(self) -> frozenset[str]:
        """The option ids that make a right answer."""
        if self.type == "truefalse":
            return frozenset({"true" if self.correct else "false"})
        if isinstance(self.correct, str):
            return frozenset({self.correct})
        return frozenset(self.correct)


class Activity(StrictModel):
    """Something a participant answers: it knows its id, kind and notebook."""

    kind: ClassVar[str] = "answer"
    id_prefix: ClassVar[str] = ""
    id: str
    notebook: str

    @property
    def activity_id(self) -> str:
        """The key this activity's answers are saved under."""
        return f"{self.id_prefix}{self.id}"


class Quiz(Activity):
    kind: ClassVar[str] = "quiz"
    title: str
    items: tuple[QuizItem, ...]


class Scenario(Activity):
    kind: ClassVar[str] = "scenario"
    set_id: str
    title: str
    facts: str
    classification: Literal[CLASSIFICATIONS]
    elements: dict[str, bool]
    teaching_point: str
    source: str
    # Why an element is marked as it is, where a careful reader could mark it otherwise.
    element_notes: dict[str, str] = {}
    # Ticked elements where either answer can be defended: both are accepted when checking.
    either_way: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _agrees_with_the_law(self):
        unknown = set(self.elements) - FACT_FIELDS
        if unknown or set(self.elements) != FACT_FIELDS:
            raise ValueError(
                f"scenario {self.id}: elements must list exactly {sorted(FACT_FIELDS)}"
            )
        reached = assess(self.case_facts()).classification
        if reached != self.classification:
            raise ValueError(
                f"scenario {self.id}: its elements lead to '{reached}', not '{self.classification}'"
            )
        if not set(self.element_notes) <= FACT_FIELDS:
            raise ValueError(f"scenario {self.id}: element_notes name unknown elements")
        for key in self.either_way:
            if key not in MARKED_ELEMENTS or key not in self.element_notes:
                raise ValueError(
                    f"scenario {self.id}: either_way element '{key}' must be a ticked element "
                    "with a note in element_notes"
                )
            flipped = CaseFacts(**{**self.elements, key: not self.elements[key]})
            if assess(flipped).classification != self.classification:
                raise ValueError(
                    f"scenario {self.id}: either_way element '{key}' changes the classification"
                )
        return self

    def case_facts(self) -> CaseFacts:
        """The scenario's facts as the decision function takes them."""
        return CaseFacts(**self.elements)

    @property
    def activity_id(self) -> str:
        """Scenarios are saved under `<set id>.<scenario id>`."""
        return f"{self.set_id}.{self.id}"


class ScenarioSet(StrictModel):
    id: str
    title: str
    scenarios: tuple[Scenario, ...]

    @model_validator(mode="before")
    @classmethod
    def _scenarios_know_their_set(cls, raw):
        if isinstance(raw, dict) and isinstance(raw.get("scenarios"), list):
            scenarios = [
                {**s, "set_id": raw.get("id")} if isinstance(s, dict) else s
                for s in raw["scenarios"]
            ]
            raw = {**raw, "scenarios": scenarios}
        return raw


class ChecklistItem(StrictModel):
    id: str
    text: str


class ChecklistQuestion(StrictModel):
    id: str
    text: str
    items: tuple[ChecklistItem, ...] = ()
    # "scale": answered on the checklist's scale; "country-status": shows the participant's
    # country status from the data and takes a note
    answer: Literal["scale", "country-status"] = "scale"


class _Labelled:
    """Labels shown in the file's language and the canonical (English) values stored for them,
    at the same positions. `_values` is set when the content is read in another language."""

    def _labels(self) -> tuple[str, ...]:
        raise NotImplementedError

    @property
    def _canonical(self) -> tuple[str, ...]:
        return self._values or self._labels()

    def _pairs(self) -> list[tuple[str, str]]:
        return list(zip(self._labels(), self._canonical, strict=True))

    def label_of(self, value: object) -> str:
        """The label (current language) of a stored value; a value that is not one of the
        options (an older or odd answer) is returned as it is, as text."""
        for label, canonical in self._pairs():
            if value == canonical:
                return label
        return "" if value is None else str(value)


class Checklist(_Labelled, Activity):
    kind: ClassVar[str] = "checklist"
    title: str
    source: str
    scale: tuple[str, ...]  # the labels, in the language of the file read
    questions: tuple[ChecklistQuestion, ...]
    _values: tuple[str, ...] = PrivateAttr(default=())

    def _labels(self) -> tuple[str, ...]:
        return self.scale

    @property
    def scale_values(self) -> tuple[str, ...]:
        """The answers as they are stored: the English scale, whatever the language."""
        return self._canonical

    def scale_choices(self) -> list[tuple[str, str]]:
        """(label, stored value) pairs of the scale, in order."""
        return self._pairs()


class Poll(_Labelled, Activity):
    kind: ClassVar[str] = "poll"
    id_prefix: ClassVar[str] = "poll."
    question: str
    options: tuple[str, ...]  # the labels, in the language of the file read
    source: str
    _values: tuple[str, ...] = PrivateAttr(default=())

    def _labels(self) -> tuple[str, ...]:
        return self.options

    @property
    def values(self) -> tuple[str, ...]:
        """The answers as they are stored: the English options, whatever the language."""
        return self._canonical

    def choices(self) -> list[tuple[str, str]]:
        """(label, stored value) pairs of the options, in order."""
        return self._pairs()


class Prompt(Activity):
    kind: ClassVar[str] = "note"
    id_prefix: ClassVar[str] = "note."
    prompt: str
    source: str


def _folder() -> Path:
    """The English exercise folder (file names and ids are the same in every language)."""
    return data_dir() / "exercises"


def _path(relative: str) -> Path:
    """The file `exercises/<relative>` in the current language (English when untranslated)."""
    return localized(Path("exercises") / relative)


def _canonical_values(path: Path, labels: tuple[str, ...], english: tuple[str, ...], what: str):
    """The English values for the `labels` of a translated file, position by position."""
    if len(labels) != len(english):
        raise ContentError(
            f"{path.name} ({path.parent}): {what} has {len(labels)} options, but the English "
            f"file has {len(english)}; a translation keeps every option in the same order."
        )
    return tuple(english)


def _with_values(item, english, path: Path):
    """`item` (a Poll or the Checklist read from a translated `path`) knowing the English
    values of its options, taken from `english` (the same item read from the English file)."""
    if isinstance(item, Poll):
        what = f"the poll '{item.id}'"
        values = _canonical_values(path, item.options, english.options, what)
    else:
        values = _canonical_values(path, item.scale, english.scale, "the checklist's scale")
    item = item.model_copy()
    item._values = values
    return item


@functools.cache
def _read(path: Path, model: type[BaseModel], english: Path | None = None) -> BaseModel:
    """The file at `path` as `model`, cached by path. For a translated file, `english` is the
    English file it mirrors: poll options and the checklist's scale learn their English values
    from it (ContentError naming the file when the two do not line up)."""
    read = read_yaml_model(path, model, ContentError, "exercise file")
    if english is None or english == path:
        return read
    base = _read(english, model)
    if isinstance(read, Checklist):
        return _with_values(read, base, path)
    if isinstance(read, _Polls):
        by_id = {poll.id: poll for poll in base.polls}
        polls = []
        for poll in read.polls:
            if poll.id not in by_id:
                raise ContentError(
                    f"{path.name} ({path.parent}): the poll '{poll.id}' is not in the English "
                    "file; a translation keeps the same ids."
                )
            polls.append(_with_values(poll, by_id[poll.id], path))
        return _Polls(polls=tuple(polls))
    return read


def _read_localized(relative: str, model: type[BaseModel]) -> BaseModel:
    """`exercises/<relative>` in the current language, as `model`."""
    return _read(_path(relative), model, _folder() / relative)


def load_quiz(quiz_id: str) -> Quiz:
    """The quiz `data/exercises/quizzes/<quiz_id>.yaml` (in the current language)."""
    return _read_localized(f"quizzes/{quiz_id}.yaml", Quiz)


def load_scenarios(set_id: str) -> ScenarioSet:
    """The scenario set `data/exercises/scenarios/<set_id>.yaml` (in the current language)."""
    return _read_localized(f"scenarios/{set_id}.yaml", ScenarioSet)


def load_checklist() -> Checklist:
    """The post-session checklist (in the current language; stored values in English)."""
    return _read_localized("checklist.yaml", Checklist)


class _Polls(StrictModel):
    polls: tuple[Poll, ...]


class _Prompts(StrictModel):
    prompts: tuple[Prompt, ...]


NO_SUCH = {
    "poll": N_("There is no poll called '{wanted}'."),
    "prompt": N_("There is no prompt called '{wanted}'."),
    "scenario": N_("There is no scenario called '{wanted}'."),
}


def _by_id(items, wanted: str, what: str):
    for item in items:
        if item.id == wanted:
            return item
    known = ", ".join(i.id for i in items)
    missing = _(NO_SUCH[what]).format(wanted=wanted)
    known = _("Known: {known}.").format(known=known)
    raise ContentError(f"{missing} {known}")


def load_polls() -> tuple[Poll, ...]:
    """Every poll (in the current language; stored values in English)."""
    return _read_localized("polls.yaml", _Polls).polls


def load_prompts() -> tuple[Prompt, ...]:
    """Every discussion prompt (in the current language)."""
    return _read_localized("prompts.yaml", _Prompts).prompts


def load_poll(poll_id: str) -> Poll:
    """One poll from `data/exercises/polls.yaml`."""
    return _by_id(load_polls(), poll_id, "poll")


def load_prompt(prompt_id: str) -> Prompt:
    """One discussion prompt from `data/exercises/prompts.yaml`."""
    return _by_id(load_prompts(), prompt_id, "prompt")


def load_scenario(set_id: str, scenario_id: str) -> Scenario:
    """One scenario of a set."""
    return _by_id(load_scenarios(set_id).scenarios, scenario_id, "scenario")


def all_quiz_ids() -> list[str]:
    """Ids of every quiz file."""
    return sorted(p.stem for p in (_folder() / "quizzes").glob("*.yaml"))


def all_scenario_set_ids() -> list[str]:
    """Ids of every scenario file."""
    return sorted(p.stem for p in (_folder() / "scenarios").glob("*.yaml"))


def all_activities() -> list[Activity]:
    """Every activity of the agenda's content, in agenda order of its notebook."""
    found: list[Activity] = [load_quiz(q) for q in all_quiz_ids()]
    for set_id in all_scenario_set_ids():
        found += load_scenarios(set_id).scenarios
    found += [*load_polls(), *load_prompts(), load_checklist()]
    from workshop_lib.exercises.knowledge_check import knowledge_check_quizzes  # it uses Quiz

    found += knowledge_check_quizzes()
    return sorted(found, key=lambda a: a.notebook)
