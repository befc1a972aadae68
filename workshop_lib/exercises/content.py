"""Exercise content from `data/exercises/` (YAML): quizzes, scenarios, the checklist, polls
and discussion prompts. Each file is validated on load; a broken one raises ContentError naming
the file and the rule, so a trainer who adds a question sees at once what to fix.

Every activity knows its own `activity_id` (the key its answers are saved under), its `kind`
(the shape of its answers) and its `notebook` (the agenda notebook that shows it), so widgets,
the demo cohort, the dashboard and the report all use the same ids.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, model_validator

from workshop_lib.errors import WorkshopError
from workshop_lib.exercises.elements import (
    CLASSIFICATIONS,
    SOM_ELEMENTS,
    TIP_ELEMENTS,
    CaseFacts,
    assess,
)
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
        """(label, id) pairs in display order; true/false items get True and False."""
        if self.type == "truefalse":
            return [("True", "true"), ("False", "false")]
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


class Checklist(Activity):
    kind: ClassVar[str] = "checklist"
    title: str
    source: str
    scale: tuple[str, ...]
    questions: tuple[ChecklistQuestion, ...]


class Poll(Activity):
    kind: ClassVar[str] = "poll"
    id_prefix: ClassVar[str] = "poll."
    question: str
    options: tuple[str, ...]
    source: str


class Prompt(Activity):
    kind: ClassVar[str] = "note"
    id_prefix: ClassVar[str] = "note."
    prompt: str
    source: str


def _folder() -> Path:
    return data_dir() / "exercises"


@functools.cache
def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    return read_yaml_model(path, model, ContentError, "exercise file")


def load_quiz(quiz_id: str) -> Quiz:
    """The quiz `data/exercises/quizzes/<quiz_id>.yaml`."""
    return _read(_folder() / "quizzes" / f"{quiz_id}.yaml", Quiz)


def load_scenarios(set_id: str) -> ScenarioSet:
    """The scenario set `data/exercises/scenarios/<set_id>.yaml`."""
    return _read(_folder() / "scenarios" / f"{set_id}.yaml", ScenarioSet)


def load_checklist() -> Checklist:
    """The post-session checklist."""
    return _read(_folder() / "checklist.yaml", Checklist)


class _Polls(StrictModel):
    polls: tuple[Poll, ...]


class _Prompts(StrictModel):
    prompts: tuple[Prompt, ...]


def _by_id(items, wanted: str, what: str):
    for item in items:
        if item.id == wanted:
            return item
    known = ", ".join(i.id for i in items)
    raise ContentError(f"There is no {what} called '{wanted}'. Known: {known}.")


def load_polls() -> tuple[Poll, ...]:
    """Every poll."""
    return _read(_folder() / "polls.yaml", _Polls).polls


def load_prompts() -> tuple[Prompt, ...]:
    """Every discussion prompt."""
    return _read(_folder() / "prompts.yaml", _Prompts).prompts


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
