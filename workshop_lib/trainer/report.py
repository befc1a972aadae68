"""The trainer's cohort report: one self-contained, offline HTML file (or the raw table).

Counts per answer are drawn as plain HTML/CSS bars with their numbers in text, so the report
needs no script and no network, prints, and reads aloud. Every piece of participant text is
escaped, so a note holding `<script>` shows as those characters.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter, defaultdict
from pathlib import Path

from workshop_lib.responses.answers import flatten_answer, is_free_text
from workshop_lib.responses.cohort import CohortAnswers

STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:2px solid #ccc}h3{margin-top:1.5rem}
table{border-collapse:collapse;width:100%}td,th{padding:.25rem .5rem;text-align:left;
vertical-align:top;border-bottom:1px solid #eee}.bar{background:#1f5f8b;height:1rem;
min-width:2px}.barcell{width:50%}.note{white-space:pre-wrap;margin:.25rem 0 .75rem;
padding:.5rem;border-left:4px solid #999;background:#f6f6f6}.who{font-size:.85rem;color:#555}
.skipped{color:#8a1c1c}@media print{.bar{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
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
    """The whole report as one HTML string."""
    esc = html.escape
    by_activity: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for record in answers.records:
        by_activity[(record["notebook"], record["activity"])].append(record)
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
        parts.append("<h2>Files that could not be read</h2><ul class='skipped'>")
        parts += [f"<li>{esc(str(s))}</li>" for s in answers.skipped]
        parts.append("</ul>")
    current_notebook = None
    for (notebook, activity), records in sorted(by_activity.items()):
        if notebook != current_notebook:
            parts.append(f"<h2>{esc(notebook)}</h2>")
            current_notebook = notebook
        attempts = sum(r.get("attempts", 1) for r in records) / len(records)
        parts.append(
            f"<section><h3>{esc(activity)}</h3><p>{len(records)} participant(s) answered; "
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
            parts.append(f"<h4>{esc(field)}</h4>")
            parts += [
                f"<p class='who'>{esc(who)}</p><p class='note'>{esc(text)}</p>"
                for who, text in sorted(notes[field])
            ]
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)


def write_report(answers: CohortAnswers, out: Path, fmt: str, title: str) -> Path:
    """Write the report as html, csv or xlsx to `out` and return the path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        out.write_text(render_html(answers, title), encoding="utf-8")
    elif fmt == "csv":
        answers.frame().to_csv(out, index=False)
    elif fmt == "xlsx":
        frame = answers.frame()
        for column in ("first_saved", "last_saved"):
            frame[column] = frame[column].dt.tz_localize(None)
        frame.to_excel(out, index=False, sheet_name="answers")
    else:
        raise ValueError(f"Unknown report format '{fmt}': choose html, csv or xlsx.")
    return out
