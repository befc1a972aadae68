"""A cohort of odd but valid records, as a store returns them: every one passes the record model
(answers by kind), yet each is the kind of thing a participant can type or paste, or a file can
hold. The report, the exports and the dashboard must show all of it and never raise."""

from __future__ import annotations

import json
import math
from pathlib import Path

from workshop_lib.exercises import content
from workshop_lib.responses.folder import FolderStore
from workshop_lib.responses.records import SCHEMA, SCHEMA_VERSION
from workshop_lib.trainer.demo import DEMO_TIME, write_demo_cohort

COHORT = "demo"
MATH = "$x^2$ and \\frac{1}{2} and $x^{$ and $\\frac{$"
RTL = "مرحبا بالعالم — שלום עולם"
EMOJI = "👩🏽‍⚖️ 🇰🇪 ✓"
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
HUGE_NOTE = ("$x^2$ " * 2_000)[:10_000]  # the longest a note may be
TEXTS = [MATH, RTL, EMOJI, HOSTILE, "=1+1", "a\x01b\x0bc"]
NESTED = {"a": {"b": {"c": [1, "two", None, {"d": MATH}]}}, "": "", "$": EMOJI}


def _by_kind(kind: type) -> list:
    return [a for a in content.all_activities() if isinstance(a, kind)]


def write_raw(root: Path, **fields) -> None:
    """Write one record file as it could sit in a participant's folder (bypassing the checks
    that saving makes, as a hand-edited or older file would)."""
    record = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "display_name": "",
        "cohort": COHORT,
        "attempts": 1,
        "first_saved": DEMO_TIME,
        "last_saved": DEMO_TIME,
        **fields,
    }
    path = FolderStore(root).path_for(
        record["participant"], record["cohort"], record["notebook"], record["activity"]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")


def odd_cohort(root: Path, demo_participants: int = 0) -> int:
    """Write the odd records (after `demo_participants` ordinary demo participants) under
    `root`; return how many participants there are."""
    if demo_participants:
        write_demo_cohort(root, demo_participants)
    store = FolderStore(root)
    quiz, poll, prompt = _by_kind(content.Quiz)[0], _by_kind(content.Poll)[0], None
    prompts, scenario = _by_kind(content.Prompt), _by_kind(content.Scenario)[0]
    checklist = _by_kind(content.Checklist)[0]
    prompt = prompts[0]

    def save(who, activity, answer, kind=None):
        store.save(who, COHORT, activity.notebook, activity.activity_id, answer,
                   kind=kind or activity.kind)  # fmt: skip

    people = [f"odd-{n}" for n in range(len(TEXTS))]
    for who, text in zip(people, TEXTS, strict=True):
        save(who, poll, {"choice": text})
        save(who, prompt, text)
        save(who, scenario, {"classification": text, "elements": [text], "correct": True,
                             "more": NESTED})  # fmt: skip
        save(who, checklist, {"no-such-question": {"answer": text, "note": text},
                              checklist.questions[0].id: {"answer": text}})  # fmt: skip
    save("odd-0", quiz, {"choices": {"q1": MATH, "q9": [RTL, EMOJI]}, "score": math.nan,
                         "total": 3})  # fmt: skip
    save("odd-1", quiz, {"choices": {}, "score": 10**400, "total": 3})
    save("odd-2", quiz, {"choices": {}, "score": -1.5, "total": 3})
    save("odd-3", quiz, HUGE_NOTE, kind="note")  # a note saved under the quiz's id
    save("odd-4", poll, {"choices": {}, "score": 1, "total": 1}, kind="quiz")
    for n, other in enumerate(prompts[1:6]):
        save(f"odd-{n}", other, HUGE_NOTE)
    for kind, answer in [("mystery", NESTED), ("list", [1, "two", None, 3.5]), ("number", 42),
                         ("null", None), ("yes", True), ("nan", math.inf)]:  # fmt: skip
        store.save("odd-5", COHORT, "99_elsewhere", f"{kind}.{MATH}", answer, kind=kind)
    write_raw(root, participant="broken-\ud800", display_name="\udfff", notebook=prompt.notebook,
              activity=prompt.activity_id, kind="note", answer=RTL)  # fmt: skip
    write_raw(root, participant="odd-6", notebook="\ud83d-nb", activity="x\udc00", kind="?",
              answer={"k": [math.nan]})  # fmt: skip
    return demo_participants + len(people) + 2
