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

The report speaks the current language (`workshop_lib.i18n`: the command calls `use(code)`
first): its text, the content's questions and options, the labels of the stored answers, the
dates; the page carries the language's `lang` and `dir`. Answers given in any language are
counted together, since they are stored the same way.
"""

from __future__ import annotations

import datetime as dt
import html
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from workshop_lib.dates import format_moment
from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_, _, language, ngettext
from workshop_lib.i18n.languages import LANGUAGES
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
from workshop_lib.trainer.results_html import (
    and_more,
    header_cells,
    results_html,
    unknown_activities,
)

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


def page_attributes() -> str:
    """The `lang` and `dir` attributes of a page in the current language."""
    spoken = LANGUAGES[language()]
    return f"lang='{spoken.code}' dir='{spoken.direction}'"


def _count_table(field: str, counts: Counter, total: int) -> str:
    esc = html.escape
    rows = []
    for value, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        share = 100 * count / total if total else 0
        spoken = _("{count} of {total}").format(count=count, total=total)
        rows.append(
            f"<tr><td>{esc(str(value))}</td><td>{count}</td>"
            f"<td class='barcell'><div class='bar' style='width:{share:.1f}%' "
            f"role='img' aria-label='{esc(spoken)}'></div></td></tr>"
        )
    head = header_cells(_("Answer"), _("Count"), _("Share"))
    return (
        f"<h4>{esc(field)}</h4><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_html(answers: CohortAnswers, title: str) -> str:
    """The whole report as one HTML string: the results in the trainer's words (activities by
    their titles and questions, answers by their labels; see `results`), then the answers to
    activities the content does not know, counted as they were saved. Participants are shown
    as the records name them (pass pseudonymised answers to hide them). Everything is in the
    current language, the page marked with its `lang` and `dir`."""
    esc = html.escape
    results = CohortResults(answers, {})
    participants = {r["participant"] for r in answers.records}
    generated = format_moment(dt.datetime.now(dt.UTC))
    parts = [
        f"<!DOCTYPE html><html {page_attributes()}><head><meta charset='utf-8'>",
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(counted(len(participants), len(answers.records)))} "
        + esc(_("Generated {moment}.").format(moment=generated))
        + "</p>",
    ]
    if answers.skipped:
        parts.append(skipped_table(answers.skipped))
    body, _bars = results_html(results)
    parts.append("<h2>" + esc(_("Results")) + f"</h2>{body}")
    unknown = unknown_activities(results)
    if unknown:
        parts.append(
            "<h2>"
            + esc(_("Other answers"))
            + "</h2><p>"
            + esc(
                _(
                    "Answers to activities this version of the workshop does not know (an older "
                    "version's, or saved under another kind), counted as saved."
                )
            )
            + "</p>"
        )
        wanted = {(notebook, activity) for notebook, activity, _ in unknown}
        parts.append(_generic_sections(answers, wanted))
    parts.append("</body></html>")
    return exports.without_broken_characters("".join(parts))


def counted(participants: int, answers: int) -> str:
    """'12 participant(s), 40 answer(s).' in the current language."""
    people = ngettext("{count} participant(s),", "{count} participant(s),", participants).format(
        count=participants
    )
    given = ngettext("{count} answer(s).", "{count} answer(s).", answers).format(count=answers)
    return f"{people} {given}"


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
        answered = ngettext(
            "{count} participant(s) answered; {attempts} attempt(s) on average.",
            "{count} participant(s) answered; {attempts} attempt(s) on average.",
            len(records),
        ).format(count=len(records), attempts=exports.number(attempts, ".1f"))
        parts.append(f"<section><h4>{esc(activity)}</h4><p>{esc(answered)}</p>")
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
    tail = f"<p>{esc(and_more(more))}</p>" if more > 0 else ""
    head = header_cells(_("Participant folder"), _("File"), _("Why it was skipped"))
    heading = _("Files that could not be read ({count})").format(count=exports.number(len(skipped)))
    return (
        f"<h2>{esc(heading)}</h2>"
        f"<table class='skipped'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{tail}"
    )


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


TIME_COLUMNS = ("first_saved", "last_saved")
# The raw table's columns (`CohortAnswers.table`) as the header row shows them, translated
# where written; `answer.<field>` columns keep their field ids (as saved) after the word.
COLUMN_HEADINGS = {
    "participant": N_("participant"),
    "display_name": N_("display_name"),
    "cohort": N_("cohort"),
    "notebook": N_("notebook"),
    "activity": N_("activity"),
    "kind": N_("kind"),
    "attempts": N_("attempts"),
    "first_saved": N_("first_saved"),
    "last_saved": N_("last_saved"),
    "answer": N_("answer"),
    "activity_title": N_("activity_title"),
    "answer_in_words": N_("answer_in_words"),
}


def table_headers(columns: list[str]) -> dict[str, str]:
    """Each column of the raw table to its heading in the current language."""
    headers = {}
    for column in columns:
        if column in COLUMN_HEADINGS:
            headers[column] = _(COLUMN_HEADINGS[column])
        elif column.startswith("answer."):
            headers[column] = _(COLUMN_HEADINGS["answer"]) + column[len("answer") :]
    return headers


def describe_record() -> Callable[[dict], tuple[str, str]]:
    """record -> (the activity's title, with its round; the answer in the trainer's words),
    for the exports' `activity_title` and `answer_in_words` columns."""
    index = activity_index()

    def describe(record: dict) -> tuple[str, str]:
        activity, round_number = find_activity(index, record["activity"])
        if activity is None or activity.kind != record["kind"]:
            return "", ""
        title = activity_title(activity)
        if round_number > 1:
            title = _("{title} (round {round})").format(title=title, round=round_number)
        return title, answer_in_words(activity, record["answer"])

    return describe


def write_table(
    answers: CohortAnswers, out: Path, fmt: str, display_names: bool = True
) -> exports.ExportResult:
    """Write the raw table (one row per participant per activity) as csv or xlsx, safely (see
    `exports`), and return what was written. The header row, the activity titles and the
    answers in words are in the current language; ids and stored values are as saved."""
    columns, rows = answers.table(display_names, describe_record())
    headers = table_headers(columns)
    if fmt == "csv":
        return exports.write_csv(out, columns, rows, headers=headers)
    return exports.write_xlsx(out, columns, rows, times=TIME_COLUMNS, headers=headers)


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
        raise ReportFormatError(
            _("Unknown report format '{format}': choose html, csv or xlsx.").format(format=fmt)
        )
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
