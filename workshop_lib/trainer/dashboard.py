"""The trainer dashboard: the cohort's quiz scores, scenario answers, poll results and checklist
answers as bars, discussion notes grouped under each prompt, buttons that write the answers to a
file, and a refresh button. Participants are pseudonymised by default so the screen can be
projected to the room. With no real answers yet, it shows a generated demo cohort and says so.

Everything is plain, escaped HTML with its numbers in text (no matplotlib, no script), so a
participant's text shows as the characters they typed, whatever they are (`$x^2$`, `<script>`,
right-to-left text). What it sends to the browser is bounded whatever the cohort's size: the
bars count answers, notes show the most recent ones of each prompt, shortened, and the whole
cohort goes to a file only when the trainer asks for one. The activities, their ids and titles
come from the exercise content (`content.all_activities()`).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets

from workshop_lib.config import is_database_url, responses_location
from workshop_lib.errors import WorkshopError, sentence
from workshop_lib.exercises import content
from workshop_lib.exercises.widgets.base import mimebundle
from workshop_lib.responses.cohort import CohortAnswers, load_cohort
from workshop_lib.trainer import exports
from workshop_lib.trainer.demo import demo_records
from workshop_lib.trainer.report import skipped_table, write_report, write_table

NOTES_SHOWN = 25  # most recent notes shown per prompt; the report has them all
NOTE_CHARS = 1_500  # characters of one note shown; the report has the full text
SKIPPED_SHOWN = 20
SKIPPED_CHARS = 300
LABEL_CHARS = 120
ANOTHER_ANSWER = "another answer"
COLOURS = ("#1f5f8b", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#777777")
EXPORT_FOLDER = "exports"


def pseudonyms(participants: list[str]) -> dict[str, str]:
    """Stable labels 'Participant 01', 'Participant 02'... in the order of the sorted ids."""
    ordered = sorted(set(participants))
    width = max(2, len(str(len(ordered))))
    return {p: f"Participant {n:0{width}d}" for n, p in enumerate(ordered, start=1)}


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Bars:
    """Counts drawn as plain HTML bars: one row per answer, one count per series (a single
    series for a poll, several for stacked answers such as the checklist's scale)."""

    title: str
    series: list[str]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)

    def description(self) -> str:
        """The sentence a screen reader reads, and what the static view shows."""
        if len(self.series) == 1:
            listing = ", ".join(f"{label}: {c[0]}" for label, c in self.rows if c[0])
        else:
            listing = "; ".join(
                f"{label}: " + ", ".join(f"{s} {n}" for s, n in zip(self.series, c, strict=True))
                for label, c in self.rows
                if sum(c)
            )
        return f"Chart: {self.title}. {listing or 'no answers yet'}."

    def html(self) -> str:
        """The bars as an escaped HTML table; each bar is the row's share, in text as well."""
        esc = html.escape
        single = len(self.series) == 1
        total = sum(c[0] for _, c in self.rows) if single else 0
        head = "".join(f"<th scope='col'>{esc(s)}</th>" for s in self.series)
        body = []
        for label, counts in self.rows:
            whole = total if single else sum(counts)
            segments = "".join(
                f"<div style='width:{100 * n / whole:.1f}%;background:{COLOURS[i % len(COLOURS)]}'"
                "></div>"
                for i, n in enumerate(counts)
                if n and whole
            )
            spoken = ", ".join(f"{s} {n}" for s, n in zip(self.series, counts, strict=True))
            cells = "".join(f"<td>{n}</td>" for n in counts)
            body.append(
                f"<tr><td><bdi>{esc(shorten(label, LABEL_CHARS))}</bdi></td>{cells}"
                f"<td style='width:40%'><div role='img' aria-label='{esc(spoken)}' "
                f"style='display:flex;height:1rem;background:#f0f0f0'>{segments}</div></td></tr>"
            )
        legend = ""
        if not single:
            legend = (
                "<p>"
                + " ".join(
                    f"<span style='display:inline-block;width:.8rem;height:.8rem;"
                    f"background:{COLOURS[i % len(COLOURS)]}'></span> {esc(s)}"
                    for i, s in enumerate(self.series)
                )
                + "</p>"
            )
        return (
            f"<h4>{esc(self.title)}</h4>{legend}<table style='border-collapse:collapse;"
            f"width:100%;max-width:52rem'><thead><tr><th scope='col'>Answer</th>{head}"
            f"<th scope='col'>Share</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
        )


class CohortSummary:
    """The numbers behind the dashboard, from one cohort's records. Only records of the kind
    their activity saves are counted (their answers are validated by kind), one per participant
    and cohort: the latest saved."""

    def __init__(self, answers: CohortAnswers, names: dict[str, str]):
        self.answers = answers
        self.names = names
        latest: dict[tuple[str, str], dict[tuple[str, str], dict]] = defaultdict(dict)
        for record in answers.records:
            slot = latest[(record["activity"], record["kind"])]
            who = (record["participant"], record["cohort"])
            if who not in slot or slot[who]["last_saved"] < record["last_saved"]:
                slot[who] = record
        self.latest = latest

    def answers_to(self, activity: content.Activity) -> list[object]:
        """The answers to one activity, one per participant."""
        return [
            r["answer"] for r in self.latest.get((activity.activity_id, activity.kind), {}).values()
        ]

    def quiz_scores(self, quiz: content.Quiz) -> Bars:
        """How many participants reached each score from 0 to the quiz's number of items."""
        counts: Counter = Counter()
        for answer in self.answers_to(quiz):
            score = answer.get("score") if isinstance(answer, dict) else None
            if isinstance(score, float) and score.is_integer():  # 3.0 is 3; NaN is not
                score = int(score)
            if isinstance(score, int) and not isinstance(score, bool):
                if 0 <= score <= len(quiz.items):
                    counts[score] += 1
                    continue
            counts[ANOTHER_ANSWER] += 1
        bars = Bars(f"{quiz.title}: scores", ["participants"])
        bars.rows = [(str(s), [counts[s]]) for s in range(len(quiz.items) + 1)]
        if counts[ANOTHER_ANSWER]:
            bars.rows.append(("another score", [counts[ANOTHER_ANSWER]]))
        return bars

    def scenarios(self, title: str, scenarios: list[content.Scenario]) -> Bars:
        """Per scenario, how many classified it as the facts show and how many otherwise."""
        bars = Bars(title, ["as the facts show", "otherwise"])
        for scenario in scenarios:
            correct = Counter(
                a.get("correct") is True
                for a in self.answers_to(scenario)
                if isinstance(a, dict) and isinstance(a.get("correct"), bool)
            )
            bars.rows.append((scenario.title, [correct[True], correct[False]]))
        return bars

    def poll(self, poll: content.Poll) -> Bars:
        """How many chose each option of a poll (and any other answer, counted together)."""
        choices = Counter(
            a.get("choice") if isinstance(a, dict) else None for a in self.answers_to(poll)
        )
        bars = Bars(f"Poll: {poll.question}", ["participants"])
        bars.rows = [(option, [choices.pop(option, 0)]) for option in poll.options]
        others = sum(choices.values())
        if others:
            bars.rows.append((ANOTHER_ANSWER, [others]))
        return bars

    def checklist(self, checklist: content.Checklist) -> Bars:
        """Per checklist question (or item), how many gave each answer of the scale."""
        answers = [a for a in self.answers_to(checklist) if isinstance(a, dict)]
        rows, other = [], False
        for question in checklist.questions:
            keys = [(f"{question.id}.{i.id}", i.text) for i in question.items]
            for key, text in keys or [(question.id, question.text)]:
                given = Counter()
                for answer in answers:
                    row = answer.get(key)
                    value = row.get("answer") if isinstance(row, dict) else None
                    if isinstance(value, str) and value:
                        given[value if value in checklist.scale else ANOTHER_ANSWER] += 1
                other = other or bool(given[ANOTHER_ANSWER])
                rows.append((text, given))
        series = [*checklist.scale, *([ANOTHER_ANSWER] if other else [])]
        bars = Bars("Post-session checklist answers", series)
        bars.rows = [(text, [given[s] for s in series]) for text, given in rows]
        return bars

    def notes(self, prompt: content.Prompt) -> tuple[list[tuple[str, str]], int]:
        """(name, note) of the most recent non-empty notes to one prompt (at most NOTES_SHOWN,
        in the order of the names), and how many there are in all."""
        records = [
            r
            for r in self.latest.get((prompt.activity_id, prompt.kind), {}).values()
            if isinstance(r["answer"], str) and r["answer"].strip()
        ]
        recent = sorted(records, key=lambda r: r["last_saved"], reverse=True)[:NOTES_SHOWN]
        shown = sorted(
            (self.names.get(r["participant"], r["participant"]), r["answer"]) for r in recent
        )
        return shown, len(records)


class Dashboard:
    """The dashboard widget: reads the answers on creation and on Refresh; writes them to a
    file in `export_dir` (default: `exports/` next to the notebook) when asked."""

    def __init__(self, folder: str = "", cohort: str = "", export_dir: Path | str | None = None):
        self.folder = responses_location(folder)
        self.cohort = cohort or None
        self.export_dir = Path(export_dir) if export_dir else Path.cwd() / EXPORT_FOLDER
        self.show_names = widgets.Checkbox(
            value=False, description="Show participant ids", indent=False
        )
        self.refresh_button = widgets.Button(
            description="Refresh", icon="refresh", tooltip="Read the answers again"
        )
        self.body = widgets.HTML()
        self.export_buttons = {
            fmt: widgets.Button(description=label, icon="download", tooltip=tip)
            for fmt, label, tip in (
                ("csv", "Write CSV", "Write every answer to a CSV file next to this notebook"),
                ("xlsx", "Write XLSX", "Write every answer to an Excel workbook"),
                ("html", "Write report", "Write the full report, every note included (HTML)"),
            )
        }
        self.export_result = widgets.Output()
        self.refresh_button.on_click(lambda _: self.refresh())
        self.show_names.observe(lambda _: self.render(), names="value")
        for fmt, button in self.export_buttons.items():
            button.on_click(lambda _, fmt=fmt: self.export(fmt))
        self.root = widgets.VBox(
            [
                widgets.HBox([self.refresh_button, self.show_names]),
                self.body,
                widgets.HBox(list(self.export_buttons.values())),
                self.export_result,
            ]
        )
        self.answers = CohortAnswers([], [])
        self.notice = ""
        self.is_demo = True
        self.last_real: CohortAnswers | None = None
        self.last_read = dt.datetime.now(dt.UTC)
        self.summary_text = ""
        self.bars: list[Bars] = []
        self.refresh()

    def _reason(self, exc: BaseException) -> str:
        if isinstance(exc, WorkshopError) or is_database_url(self.folder):
            text = sentence(exc)
        else:
            strerror = getattr(exc, "strerror", None) or str(exc)
            text = f"The responses folder {self.folder} cannot be read ({strerror})."
        return text[:1].upper() + text[1:]

    def _load(self) -> tuple[CohortAnswers, str, bool]:
        try:
            answers = load_cohort(self.folder, self.cohort)
        except (WorkshopError, OSError) as exc:
            reason = self._reason(exc)
            if self.last_real is not None:
                read = self.last_read.strftime("%H:%M UTC")
                return self.last_real, f"{reason} Showing the answers as read at {read}.", False
            return (
                CohortAnswers(demo_records(), []),
                f"{reason} Showing a generated demo cohort instead.",
                True,
            )
        if not answers.records:
            return (
                CohortAnswers(demo_records(), answers.skipped),
                "No answers yet: showing a generated demo cohort (12 invented participants).",
                True,
            )
        self.last_real, self.last_read = answers, dt.datetime.now(dt.UTC)
        return answers, "", False

    def names(self) -> dict[str, str]:
        """Participant ids to the labels shown: pseudonyms unless ids are asked for."""
        people = [r["participant"] for r in self.answers.records]
        return {p: p for p in people} if self.show_names.value else pseudonyms(people)

    def refresh(self) -> None:
        """Read the answers again and redraw everything."""
        self.answers, self.notice, self.is_demo = self._load()
        for button in self.export_buttons.values():
            button.disabled = self.is_demo
        self.render()

    def render(self) -> None:
        """Redraw the answers last read (after Refresh, or when ids are shown or hidden)."""
        answers, names = self.answers, self.names()
        summary = CohortSummary(answers, names)
        parts, lines = [], []
        if self.notice:
            parts.append(f"<p role='status'><strong>{html.escape(self.notice)}</strong></p>")
            lines.append(self.notice)
        people = {r["participant"] for r in answers.records}
        count = f"{len(people)} participant(s), {len(answers.records)} answer(s)."
        parts.append(f"<p>{count}</p>")
        lines.append(count)
        if answers.skipped:
            lines.append(f"{len(answers.skipped)} file(s) could not be read.")
            parts.append(skipped_table(answers.skipped, SKIPPED_SHOWN, SKIPPED_CHARS))
        self.bars = self._bars(summary)
        for bars in self.bars:
            parts.append(bars.html())
            lines.append(bars.description())
        parts.append(self._notes_html(summary))
        self.body.value = exports.without_broken_characters("".join(parts))
        self.summary_text = "\n".join(lines)

    @staticmethod
    def _bars(summary: CohortSummary) -> list[Bars]:
        activities = content.all_activities()
        found: list[Bars] = [
            summary.quiz_scores(a) for a in activities if isinstance(a, content.Quiz)
        ]
        sets: dict[str, list[content.Scenario]] = defaultdict(list)
        for activity in activities:
            if isinstance(activity, content.Scenario):
                sets[activity.set_id].append(activity)
        found += [
            summary.scenarios("Scenarios: classified as the facts show?", scenarios)
            for scenarios in sets.values()
        ]
        found += [summary.poll(a) for a in activities if isinstance(a, content.Poll)]
        found += [summary.checklist(a) for a in activities if isinstance(a, content.Checklist)]
        return found

    @staticmethod
    def _notes_html(summary: CohortSummary) -> str:
        esc = html.escape
        parts = ["<h3>Discussion notes</h3>"]
        for prompt in content.all_activities():
            if not isinstance(prompt, content.Prompt):
                continue
            parts.append(f"<h4>{esc(prompt.prompt)}</h4>")
            notes, total = summary.notes(prompt)
            if total > len(notes):
                parts.append(
                    f"<p>The {len(notes)} most recent of {total:,} notes; "
                    "<em>Write report</em> below gives them all.</p>"
                )
            for who, text in notes:
                if len(text) > NOTE_CHARS:
                    text = (
                        f"{text[:NOTE_CHARS]} … (shortened here: {len(text):,} characters; "
                        "the report has the whole note)"
                    )
                parts.append(
                    f"<p style='white-space:pre-wrap'><em>{esc(who)}</em>: "
                    f"<bdi>{esc(text)}</bdi></p>"
                )
            if not notes:
                parts.append("<p>No notes yet.</p>")
        return "".join(parts)

    def export(self, fmt: str) -> Path | None:
        """Write the answers shown (pseudonymised unless ids are shown) to a new file in the
        export folder, show a link to it, and return its path (None when it failed)."""
        answers = (
            self.answers if self.show_names.value else self.answers.pseudonymised(self.names())
        )
        cohort = re.sub(r"[^A-Za-z0-9._-]+", "-", self.cohort or "all-cohorts").strip(".-")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        kind = "report" if fmt == "html" else "answers"
        path = self.export_dir / f"{cohort or 'cohort'}-{kind}-{stamp}.{fmt}"
        lines: list[str] = []
        try:
            if fmt == "html":
                write_report(answers, path, "html", f"Workshop answers: {self.cohort or 'all'}")
            else:
                result = write_table(answers, path, fmt, display_names=self.show_names.value)
                lines = exports.notices(result)
        except (WorkshopError, OSError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            message = f"The file could not be written in {self.export_dir} ({reason})."
            self._show_export(f"<p role='status'>⚠ {html.escape(message)}</p>", message)
            return None
        self._show_export(
            _file_link(path) + "".join(f"<p>{html.escape(line)}</p>" for line in lines),
            "\n".join([f"Written: {path}", *lines]),
        )
        return path

    def _show_export(self, page: str, text: str) -> None:
        # An output (not an HTML widget), so that JupyterLab turns the relative link into the
        # file's download address, as it does for IPython's FileLink.
        self.export_result.outputs = (
            {
                "output_type": "display_data",
                "data": {"text/html": page, "text/plain": text},
                "metadata": {},
            },
        )

    def _repr_mimebundle_(self, **kwargs):
        static = f"<pre>{html.escape(self.summary_text)}</pre>"
        return mimebundle(self.root, "Trainer dashboard\n" + self.summary_text, static, **kwargs)


def _file_link(path: Path) -> str:
    """Where a file was written, with a link to download it when it is next to the notebook
    (a relative link, which JupyterLab resolves to the file's download address)."""
    esc = html.escape
    shown = f"Written: {path}"
    try:
        relative = Path(os.path.relpath(path, Path.cwd()))
    except ValueError:
        relative = None
    if relative is None or relative.parts[:1] == ("..",):
        return f"<p role='status'>{esc(shown)}</p>"
    href = urllib.parse.quote(relative.as_posix())
    return (
        f"<p role='status'>{esc(shown)} · <a href='{esc(href)}' download='{esc(path.name)}' "
        f"target='_blank' style='text-decoration:underline;color:#1a5fb4'>"
        f"Open {esc(path.name)}</a></p>"
    )


def dashboard(responses_dir_parameter: str = "", cohort: str = "") -> Dashboard:
    """The trainer dashboard for the cohort's answers."""
    return Dashboard(responses_dir_parameter, cohort)
