"""A generated demo cohort: plausible answers to every activity of the agenda, made from the
real exercise content, for the trainer dashboard when no real answers exist yet and for the
benchmarks. Deterministic for a given size and seed."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

from workshop_lib.exercises import content
from workshop_lib.responses.folder import FolderStore
from workshop_lib.responses.records import SCHEMA, SCHEMA_VERSION

DEMO_COHORT = "demo"
DEMO_TIME = "2026-01-01T09:00:00Z"
NOTE_WORDS = ["law", "victims", "border", "police", "NGO", "shelter", "prosecutor", "referral"]

# (notebook, activity, kind) for the agenda's exercises, from the content files.
QUIZ_NOTEBOOKS = {
    "untoc-basics": "01_untoc_and_protocols",
    "challenges-and-developments": "03_implementation_challenges",
}


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


def _activities(rng: random.Random) -> Iterator[tuple[str, str, str, object]]:
    for quiz_id, notebook in QUIZ_NOTEBOOKS.items():
        yield notebook, quiz_id, "quiz", _quiz_answer(content.load_quiz(quiz_id), rng)
    for set_id in content.all_scenario_set_ids():
        for scenario in content.load_scenarios(set_id).scenarios:
            guess = (
                scenario.classification
                if rng.random() < 0.6
                else rng.choice(["trafficking", "smuggling", "both", "neither"])
            )
            answer = {
                "classification": guess,
                "elements": [],
                "correct": guess == scenario.classification,
            }
            yield "03_implementation_challenges", f"{set_id}.{scenario.id}", "scenario", answer
    for poll in content.load_polls():
        yield (
            "02_legal_frameworks_discussion",
            f"poll.{poll.id}",
            "poll",
            {"choice": rng.choice(poll.options)},
        )
    for prompt in content.load_prompts():
        note = " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randint(8, 40)))
        yield "04_responses_discussion", f"note.{prompt.id}", "note", note
    checklist = content.load_checklist()
    answers = {}
    for question in checklist.questions:
        keys = [f"{question.id}.{item.id}" for item in question.items] or [question.id]
        for key in keys:
            answers[key] = {"answer": rng.choice(checklist.scale), "note": ""}
    yield "05_post_session_checklist", checklist.id, "checklist", answers


def demo_records(participants: int = 12, seed: int = 2019, cohort: str = DEMO_COHORT) -> list[dict]:
    """Records for `participants` demo participants, each having answered every activity."""
    rng = random.Random(seed)
    records = []
    for number in range(1, participants + 1):
        who = f"demo-participant-{number:04d}"
        for notebook, activity, kind, answer in _activities(rng):
            records.append(
                {
                    "schema": SCHEMA,
                    "schema_version": SCHEMA_VERSION,
                    "participant": who,
                    "display_name": "",
                    "cohort": cohort,
                    "notebook": notebook,
                    "activity": activity,
                    "kind": kind,
                    "answer": answer,
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
