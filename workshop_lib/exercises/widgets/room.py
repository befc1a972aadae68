"""What the room's controls (`workshop_lib.responses.controls`) change in a participant's
widgets: a closed activity says so when it is shown and saves nothing (the session refuses it
with one sentence), and a poll shows the room's result once the trainer has revealed it."""

from __future__ import annotations

import html
from collections.abc import Callable

from workshop_lib.i18n.catalog import N_, _, ngettext
from workshop_lib.responses.controls import RoomResult

RESULT_COLOUR = "#1f5f8b"  # 7:1 on white

# One whole sentence per kind of activity (the words around the kind change with it in other
# languages), and one for any other kind.
CLOSED_NOTICES = {
    "poll": N_("The trainer has closed this poll for now: answers are not saved until it opens."),
    "note": N_(
        "The trainer has closed this discussion for now: answers are not saved until it opens."
    ),
    "quiz": N_("The trainer has closed this quiz for now: answers are not saved until it opens."),
    "scenario": N_(
        "The trainer has closed this case scenario for now: answers are not saved until it opens."
    ),
    "checklist": N_(
        "The trainer has closed this checklist for now: answers are not saved until it opens."
    ),
}
CLOSED_NOTICE = N_(
    "The trainer has closed this activity for now: answers are not saved until it opens."
)


def closed_notice(kind: str) -> str:
    """The sentence shown under an activity the trainer has closed."""
    return _(CLOSED_NOTICES.get(kind, CLOSED_NOTICE))


def say_if_closed(exercise) -> bool:
    """Show the closed notice under `exercise` (an Exercise) when the trainer has closed its
    activity; return whether it is closed."""
    if exercise.session.room(exercise.activity).locked:
        exercise.show_status(closed_notice(exercise.kind), ok=False)
        return True
    return False


def result_html(
    result: RoomResult, mine: str | None = None, label: Callable[[str], str] | None = None
) -> str:
    """The room's result of a poll as the trainer published it: one row per option with its
    count and share in words, a bar, and the participant's own answer marked. The options are
    stored values; `label` (e.g. `Poll.label_of`) gives the words shown for each, in the
    participant's language. Escaped."""
    esc = html.escape
    label = label or str
    total = result.total or sum(result.counts)
    rows = []
    for option, count in zip(result.options, result.counts, strict=True):
        share = round(100 * count / total) if total else 0
        own = " " + esc(_("(your answer)")) if option == mine else ""
        of_total = esc(_("{count} of {total}").format(count=count, total=total), quote=True)
        rows.append(
            f"<tr><th scope='row' style='text-align:left;font-weight:normal;"
            f"overflow-wrap:anywhere'><bdi>{esc(label(option))}</bdi>{own}</th>"
            f"<td>{count} ({share}%)</td><td style='width:40%'><div role='img' "
            f"aria-label='{of_total}' style='height:1rem;background:#f0f0f0'>"
            f"<div style='height:1rem;width:{share}%;background:{RESULT_COLOUR}'></div>"
            "</div></td></tr>"
        )
    heading = esc(_("The room's answers"), quote=False)
    counted = ngettext(
        "(round {round}, {total} answer):", "(round {round}, {total} answers):", total
    ).format(round=result.round, total=total)
    return (
        f"<div role='status'><p><strong>{heading}</strong> {esc(counted, quote=False)}</p>"
        "<table style='border-collapse:collapse;width:100%;max-width:40rem'>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
