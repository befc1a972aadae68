"""What the room's controls (`workshop_lib.responses.controls`) change in a participant's
widgets: a closed activity says so when it is shown and saves nothing (the session refuses it
with one sentence), and a poll shows the room's result once the trainer has revealed it."""

from __future__ import annotations

import html

from workshop_lib.responses.controls import KIND_WORDS, RoomResult

RESULT_COLOUR = "#1f5f8b"  # 7:1 on white


def closed_notice(kind: str) -> str:
    """The sentence shown under an activity the trainer has closed."""
    what = KIND_WORDS.get(kind, "activity")
    return f"The trainer has closed this {what} for now: answers are not saved until it opens."


def say_if_closed(exercise) -> bool:
    """Show the closed notice under `exercise` (an Exercise) when the trainer has closed its
    activity; return whether it is closed."""
    if exercise.session.room(exercise.activity).locked:
        exercise.show_status(closed_notice(exercise.kind), ok=False)
        return True
    return False


def result_html(result: RoomResult, mine: str | None = None) -> str:
    """The room's result of a poll as the trainer published it: one row per option with its
    count and share in words, a bar, and the participant's own answer marked. Escaped."""
    esc = html.escape
    total = result.total or sum(result.counts)
    rows = []
    for option, count in zip(result.options, result.counts, strict=True):
        share = round(100 * count / total) if total else 0
        own = " (your answer)" if option == mine else ""
        rows.append(
            f"<tr><th scope='row' style='text-align:left;font-weight:normal;"
            f"overflow-wrap:anywhere'><bdi>{esc(option)}</bdi>{own}</th>"
            f"<td>{count} ({share}%)</td><td style='width:40%'><div role='img' "
            f"aria-label='{count} of {total}' style='height:1rem;background:#f0f0f0'>"
            f"<div style='height:1rem;width:{share}%;background:{RESULT_COLOUR}'></div>"
            "</div></td></tr>"
        )
    return (
        f"<div role='status'><p><strong>The room's answers</strong> (round {result.round}, "
        f"{total} answer{'s' if total != 1 else ''}):</p><table style='border-collapse:collapse;"
        f"width:100%;max-width:40rem'><tbody>{''.join(rows)}</tbody></table></div>"
    )
