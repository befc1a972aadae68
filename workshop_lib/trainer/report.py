"""The trainer's cohort report: one self-contained, offline HTML file (or the raw table).

The report shows the results in the trainer's words (`results`, `results_html`): every
activity by its title and question, every answer by its option label, quiz questions with the
share right, the most common wrong answer and the explanation to give (and item statistics once
there are enough answers), scenarios with the element most often misread, polls per round, the
checklist by country, notes by prompt, and the knowledge gained between the checks before and
after the session.

Counts per answer are drawn as plain HTML/CSS bars with their numbers in text, so the report
needs no script and no network, prints, and reads aloud. Every piece of participant text is
escaped, so a note holding `<script>` shows as those characters. The raw table goes to CSV or
XLSX through `exports`, which keeps formulas from running and never leaves a partial file.
"""

from __future__ import annotations

import datetime as dt
import html
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from workshop_lib.errors import WorkshopError
from workshop_lib.responses.answers import flatten_answer, is_free_text
from workshop_lib.responses.cohort import CohortAnswers
from workshop_lib.responses.records import Skipped
from workshop_lib.trainer import exports
from workshop_lib.trainer.results import (
    CohortResults,
    activity_index,
    activity_title,
    answer_in_words,
    find_activity,
)
from workshop_lib.trainer.results_html import results_html, unknown_activities

FORMATS = ("html", "csv", "xlsx")


class ReportFormatError(WorkshopError, ValueError):
    """A report format other than html, csv or xlsx."""


STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ccc}h3{margin-top:1.5rem}
table{border-collapse:collapse;width:100%}
td,th{padding:.25rem .5rem;text-align:left;vertical-align:top;border-bottom:1px solid #eee;
overflow-wrap:anywhere}
.bar{background:#1f5f8b;height:1rem;min-width:2px}.barcell{width:50%}
.note{white-space:pre-wrap;margin:.25rem 0 .75rem;padding:.5rem;border-left:4px solid #999;
background:#f6f6f6}
.who{font-size:.85rem;color:#555}.skipped{color:#8a1c1c}
@media print{.bar{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _count_table(field: str, counts: Counter, total: int) -> str:
    esc = html.escape
    rows = []
    for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        share = 100 * count / total if total else 0
        rows.append(
            f"<tr><td>{esc(str(value))}</td><td>{count}</td>"
            f"<td class='barcell'><div class='bar' style='width:{share:.1f}%' "
            f"role='img' aria-label='{count} of {total}'></div></td></tr>"
        )
    return (
        f"<h4>{esc(field)}</h4><table><thead><tr><th scope='col'>Answer</th>"
        f"<th scope='col'>Count</th><th scope='col'>Share</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_html(answers: CohortAnswers, title: str) -> str:
    """The whole report as one HTML string: the results in the trainer's words (activities by
    their titles and questions, answers by their labels; see `results`), then the answers to
    activities the content does not know, counted as they were saved. Participants are shown
    as the records name them (pass pseudonymised answers to hide them)."""
    esc = html.escape
    results = CohortResults(answers, {})
    participants = {r["participant"] for r in answers.records}
    generated = dt.datetime.now(dt.UTC).strftime("%d %B %Y, %H:%M UTC")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{len(participants)} participant(s), {len(answers.records)} answer(s). "
        f"Generated {generated}.</p>",
    ]
    if answers.skipped:
        parts.append(skipped_table(answers.skipped))
    body, _ = results_html(results)
    parts.append(f"<h2>Results</h2>{body}")
    unknown = unknown_activities(results)
    if unknown:
        parts.append(
            "<h2>Other answers</h2><p>Answers to activities this version of the workshop does "
            "not know (an older version's, or saved under another kind), counted as saved.</p>"
        )
        wanted = {(notebook, activity) for notebook, activity, _ in unknown}
        parts.append(_generic_sections(answers, wanted))
    parts.append("</body></html>")
    return exports.without_broken_characters("".join(parts))


def _generic_sections(answers: CohortAnswers, wanted: set[tuple[str, str]]) -> str:
    """Counts per answer field and every free-text field, for the activities in `wanted`."""
    esc = html.escape
    by_activity: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for record in answers.records:
        key = (record["notebook"], record["activity"])
        if key in wanted:
            by_activity[key].append(record)
    parts = []
    current_notebook = None
    for (notebook, activity), records in sorted(by_activity.items()):
        if notebook != current_notebook:
            parts.append(f"<h3>{esc(notebook)}</h3>")
            current_notebook = notebook
        attempts = sum(r.get("attempts", 1) for r in records) / len(records)
        parts.append(
            f"<section><h4>{esc(activity)}</h4><p>{len(records)} participant(s) answered; "
            f"{attempts:.1f} attempt(s) on average.</p>"
        )
        counts: dict[str, Counter] = defaultdict(Counter)
        notes: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for record in records:
            for field, value in flatten_answer(record["answer"]).items():
                if is_free_text(field, record.get("kind", "")):
                    if str(value).strip():
                        notes[field].append((record["participant"], str(value)))
                else:
                    counts[field][value] += 1
        for field in sorted(counts):
            parts.append(_count_table(field, counts[field], len(records)))
        for field in sorted(notes):
            parts.append(f"<h5>{esc(field)}</h5>")
            parts += [
                f"<p class='who'>{esc(who)}</p><p class='note'>{esc(text)}</p>"
                for who, text in sorted(notes[field])
            ]
        parts.append("</section>")
    return "".join(parts)


def skipped_where(skipped: Skipped) -> tuple[str, str]:
    """(participant folder, file) of what a store skipped: a folder store names it
    `folder/file`, a database `participant/cohort/notebook/activity`."""
    folder, _, rest = skipped.where.partition("/")
    return folder, rest


def skipped_table(skipped: list[Skipped], limit: int | None = None, cut: int | None = None) -> str:
    """What the store could not read, one row each with its participant folder, as an escaped
    HTML table: the first `limit` rows (then a count of the others), each text cut to `cut`
    characters when given."""
    esc = html.escape

    def text(value: str) -> str:
        return esc(value if cut is None or len(value) <= cut else value[: cut - 1] + "…")

    shown = skipped if limit is None else skipped[:limit]
    rows = []
    for item in shown:
        folder, name = skipped_where(item)
        rows.append(
            f"<tr><td>{text(folder)}</td><td>{text(name)}</td><td>{text(item.reason)}</td></tr>"
        )
    more = len(skipped) - len(shown)
    tail = f"<p>And {more:,} more; the report lists them all.</p>" if more > 0 else ""
    return (
        f"<h2>Files that could not be read ({len(skipped):,})</h2>"
        "<table class='skipped'><thead><tr><th scope='col'>Participant folder</th>"
        "<th scope='col'>File</th><th scope='col'>Why it was skipped</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{tail}"
    )


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


TIME_COLUMNS = ("first_saved", "last_saved")


def describe_record() -> Callable[[dict], tuple[str, str]]:
    """record -> (the activity's title, with its round; the answer in the trainer's words),
    for the exports' `activity_title` and `answer_in_words` columns."""
    index = activity_index()

    def describe(record: dict) -> tuple[str, str]:
        activity, number = find_activity(index, record["activity"])
        if activity is None or activity.kind != record["kind"]:
            return "", ""
        title = activity_title(activity) + (f" (round {number})" if number > 1 else "")
        return title, answer_in_words(activity, record["answer"])

    return describe


def write_table(
    answers: CohortAnswers, out: Path, fmt: str, display_names: bool = True
) -> exports.ExportResult:
    """Write the raw table (one row per participant per activity) as csv or xlsx, safely (see
    `exports`), and return what was written."""
    columns, rows = answers.table(display_names, describe_record())
    if fmt == "csv":
        return exports.write_csv(out, columns, rows)
    return exports.write_xlsx(out, columns, rows, times=TIME_COLUMNS)


def write_report(
    answers: CohortAnswers,
    out: Path,
    fmt: str,
    title: str,
    say: Callable[[str], None] | None = None,
) -> Path:
    """Write the report as html, csv or xlsx to `out` (complete, or not at all) and return the
    path. What the trainer should know about the file (shortened cells, removed characters,
    quoted formulas) goes to `say`, one sentence a line (default: standard error). An OSError
    (a folder that cannot be written, a full disk) leaves no file behind."""
    if fmt not in FORMATS:
        raise ReportFormatError(f"Unknown report format '{fmt}': choose html, csv or xlsx.")
    say = say or _to_stderr
    out = Path(out)
    if fmt == "html":
        page = render_html(answers, title)
        with exports.atomic_path(out) as temporary:
            temporary.write_text(page, encoding="utf-8")
    else:
        for line in exports.notices(write_table(answers, out, fmt)):
            say(line)
    return out
