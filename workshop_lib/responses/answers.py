"""The shape of saved answers: flattening them into columns, and telling free text apart.

An answer is JSON: a string (a discussion note), or a dict whose values are strings, numbers,
booleans, lists or nested dicts (a quiz, a checklist). Fields named `note`, or ending in `_note`
or `.note`, hold free text; every other field is a choice that reports count.
"""

from __future__ import annotations

FREE_TEXT_KINDS = {"note"}


def flatten_answer(answer: object, prefix: str = "") -> dict[str, object]:
    """{'q1': {'choice': 'b'}} -> {'q1.choice': 'b'}; lists become '; '-joined text."""
    if isinstance(answer, dict):
        flat: dict[str, object] = {}
        for key, value in answer.items():
            flat |= flatten_answer(value, f"{prefix}.{key}" if prefix else str(key))
        return flat
    if isinstance(answer, list | tuple):
        return {prefix or "answer": "; ".join(str(v) for v in answer)}
    return {prefix or "answer": answer}


def is_free_text(field: str, kind: str) -> bool:
    """True for fields that hold a participant's own words rather than a choice."""
    last = field.rsplit(".", 1)[-1]
    return kind in FREE_TEXT_KINDS or last == "note" or last.endswith("_note")
