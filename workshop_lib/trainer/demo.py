"""A generated demo cohort: plausible answers to every activity of the agenda, made from the
real exercise content, for the trainer dashboard when no real answers exist yet and for the
benchmarks. Deterministic for a given size and seed."""

from __future__ import annotations

import json
import random
from pathlib import Path

from workshop_lib.config import DEFAULT_COHORT
from workshop_lib.exercises import content
from workshop_lib.exercises.widgets.checklist import status_summary
from workshop_lib.facts.status import country_status
from workshop_lib.responses.folder import FolderStore
from workshop_lib.responses.records import SCHEMA, SCHEMA_VERSION

DEMO_COHORT = DEFAULT_COHORT
DEMO_TIME = "2026-01-01T09:00:00Z"
NOTE_WORDS = ["law", "victims", "border", "police", "NGO", "shelter", "prosecutor", "referral"]
# Countries the demo participants come from (the checklist's country-status question).
DEMO_COUNTRIES = ("KEN", "NGA", "VNM", "MEX", "PHL", "ITA", "EGY", "BRA")
STATUS_NOTES = (
    "",
    "",
    "Check the UN Treaty Collection for changes since the as-of date.",
    "Ask the foreign ministry whether anything was deposited since.",
)


def _quiz_answer(quiz: content.Quiz, rng: random.Random) -> dict:
    choices, score = {}, 0
    for item in quiz.items:
        options = [option_id for _, option_id in item.choices()]
        right = rng.random() < 0.7
        correct = sorted(item.correct_ids())
        if item.type == "multiple":
            choices[item.id] = correct if right else sorted(rng.sample(options, 2))
        else:
            choices[item.id] = correct[0] if right else rng.choice(options)
        score += set(choices[item.id] if item.type == "multiple" else [choices[item.id]]) == set(
            correct
        )
    return {"choices": choices, "score": score, "total": len(quiz.items)}


def _scenario_answer(scenario: content.Scenario, rng: random.Random) -> dict:
    guess = (
        scenario.classification
        if rng.random() < 0.6
        else rng.choice(["trafficking", "smuggling", "both", "neither"])
    )
    return {"classification": guess, "elements": [], "correct": guess == scenario.classification}


def _checklist_answer(checklist: content.Checklist, rng: random.Random) -> dict:
    """Scale questions get a point of the scale; the country-status question gets the status
    text the checklist widget saves for a country (`status_summary`) and sometimes a note."""
    answers = {}
    for question in checklist.questions:
        if question.answer == "country-status":
            status = country_status(rng.choice(DEMO_COUNTRIES))
            answers[question.id] = {
                "answer": status_summary(status),
                "note": rng.choice(STATUS_NOTES),
            }
            continue
        keys = [f"{question.id}.{item.id}" for item in question.items] or [question.id]
        for key in keys:
            answers[key] = {"answer": rng.choice(checklist.scale_values), "note": ""}
    return answers


def _answer(activity: content.Activity, rng: random.Random) -> object:
    if isinstance(activity, content.Quiz):
        return _quiz_answer(activity, rng)
    if isinstance(activity, content.Scenario):
        return _scenario_answer(activity, rng)
    if isinstance(activity, content.Poll):
        return {"choice": rng.choice(activity.values)}
    if isinstance(activity, content.Prompt):
        return " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(8, 40)))
    return _checklist_answer(activity, rng)


def demo_records(participants: int = 12, seed: int = 2019, cohort: str = DEMO_COHORT) -> list[dict]:
    """Records for `participants` demo participants, each having answered every activity."""
    rng = random.Random(seed)
    records = []
    for number in range(1, participants + 1):
        who = f"demo-participant-{number:04d}"
        for activity in content.all_activities():
            kind = activity.kind
            records.append(
                {
                    "schema": SCHEMA,
                    "schema_version": SCHEMA_VERSION,
                    "participant": who,
                    "display_name": "",
                    "cohort": cohort,
                    "notebook": activity.notebook,
                    "activity": activity.activity_id,
                    "kind": kind,
                    "answer": _answer(activity, rng),
                    "attempts": 1 + rng.randint(0, 2) if kind == "quiz" else 1,
                    "first_saved": DEMO_TIME,
                    "last_saved": DEMO_TIME,
                }
            )
    return records


def write_demo_cohort(folder: Path, participants: int, seed: int = 2019) -> int:
    """Write a demo cohort as response files under `folder`; return the number of files."""
    store = FolderStore(folder)
    records = demo_records(participants, seed)
    for record in records:
        path = store.path_for(
            record["participant"], record["cohort"], record["notebook"], record["activity"]
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return len(records)
