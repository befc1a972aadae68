"""The trainer dashboard: the cohort's results in the trainer's words (`results`: the knowledge
gained, each quiz question with the share right, the most common wrong answer and what to
explain, item statistics once there are enough answers, scenarios with the element most often
misread, polls per round, the checklist by country, notes by prompt with countries), buttons
that write the answers to a file, and a refresh button. Participants are pseudonymised by
default so the screen can be projected to the room. With no real answers yet, it shows a
generated demo cohort and says so.

Everything is plain, escaped HTML with its numbers in text (no matplotlib, no script), so a
participant's text shows as the characters they typed, whatever they are (`$x^2$`, `<script>`,
right-to-left text). What it sends to the browser is bounded whatever the cohort's size: the
bars count answers, notes show the most recent ones of each prompt, shortened, and the whole
cohort goes to a file only when the trainer asks for one. The activities, their ids and titles
come from the exercise content (`content.all_activities()`).

It speaks the language chosen with `dashboard(..., lang)`: labels, buttons, sentences, the
content's questions and the labels of stored answers (answers given in any language count
together); the results carry the language's `lang` and `dir`.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import urllib.parse
from pathlib import Path

from workshop_lib.config import is_database_url, responses_location
from workshop_lib.errors import WorkshopError, sentence
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import mimebundle
from workshop_lib.i18n.catalog import _, ngettext, use
from workshop_lib.responses.cohort import CohortAnswers, load_cohort, pseudonyms
from workshop_lib.trainer import exports
from workshop_lib.trainer.demo import demo_records
from workshop_lib.trainer.report import (
    counted,
    page_attributes,
    skipped_table,
    write_report,
    write_table,
)
from workshop_lib.trainer.results import CohortResults
from workshop_lib.trainer.results_html import Bars, results_html

NOTES_SHOWN = 25  # most recent notes shown per prompt; the report has them all
NOTE_CHARS = 1_500  # characters of one note shown; the report has the full text
SCORES_SHOWN = 60  # participants' quiz scores listed per quiz; the report lists them all
SKIPPED_SHOWN = 20
SKIPPED_CHARS = 300
EXPORT_FOLDER = "exports"


class Dashboard:
    """The dashboard widget: reads the answers on creation and on Refresh; writes them to a
    file in `export_dir` (default: `exports/` next to the notebook) when asked."""

    def __init__(self, folder: str = "", cohort: str = "", export_dir: Path | str | None = None):
        self.folder = responses_location(folder)
        self.cohort = cohort or None
        self.export_dir = Path(export_dir) if export_dir else Path.cwd() / EXPORT_FOLDER
        self.show_names = lean.Checkbox(
            value=False, description=_("Show participant ids"), indent=False
        )
        self.refresh_button = lean.Button(
            description=_("Refresh"), icon="refresh", tooltip=_("Read the answers again")
        )
        self.body = lean.HTML()
        self.export_buttons = {
            fmt: lean.Button(description=label, icon="download", tooltip=tip)
            for fmt, label, tip in (
                (
                    "csv",
                    _("Write CSV"),
                    _("Write every answer to a CSV file next to this notebook"),
                ),
                ("xlsx", _("Write XLSX"), _("Write every answer to an Excel workbook")),
                (
                    "html",
                    _("Write report"),
                    _("Write the full report, every note included (HTML)"),
                ),
            )
        }
        self.export_result = lean.Output()
        self.refresh_button.on_click(lambda _: self.refresh())
        self.show_names.observe(lambda _: self.render(), names="value")
        for fmt, button in self.export_buttons.items():
            button.on_click(lambda _, fmt=fmt: self.export(fmt))
        self.root = lean.VBox(
            [
                lean.HBox([self.refresh_button, self.show_names]),
                self.body,
                lean.HBox(list(self.export_buttons.values())),
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
            text = _("The responses folder {folder} cannot be read ({reason}).").format(
                folder=self.folder, reason=strerror
            )
        return text[:1].upper() + text[1:]

    def _load(self) -> tuple[CohortAnswers, str, bool]:
        try:
            answers = load_cohort(self.folder, self.cohort)
        except (WorkshopError, OSError) as exc:
            reason = self._reason(exc)
            if self.last_real is not None:
                read = self.last_read.strftime("%H:%M UTC")
                showing = _("Showing the answers as read at {time}.").format(time=read)
                return self.last_real, f"{reason} {showing}", False
            return (
                CohortAnswers(demo_records(), []),
                f"{reason} " + _("Showing a generated demo cohort instead."),
                True,
            )
        if not answers.records:
            return (
                CohortAnswers(demo_records(), answers.skipped),
                _("No answers yet: showing a generated demo cohort (12 invented participants)."),
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
        results = CohortResults(answers, names)
        parts, lines = [], []
        if self.notice:
            parts.append(f"<p role='status'><strong>{html.escape(self.notice)}</strong></p>")
            lines.append(self.notice)
        people = {r["participant"] for r in answers.records}
        count = counted(len(people), len(answers.records))
        parts.append(f"<p>{html.escape(count)}</p>")
        lines.append(count)
        if answers.skipped:
            lines.append(
                ngettext(
                    "{count} file(s) could not be read.",
                    "{count} file(s) could not be read.",
                    len(answers.skipped),
                ).format(count=len(answers.skipped))
            )
            parts.append(skipped_table(answers.skipped, SKIPPED_SHOWN, SKIPPED_CHARS))
        body, self.bars = results_html(
            results, notes_limit=NOTES_SHOWN, note_chars=NOTE_CHARS, scores_limit=SCORES_SHOWN
        )
        parts.append(body)
        lines += [bars.description() for bars in self.bars]
        self.body.value = exports.without_broken_characters(
            f"<div {page_attributes()}>{''.join(parts)}</div>"
        )
        self.summary_text = "\n".join(lines)

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
                title = (
                    _("Workshop answers: {cohort}").format(cohort=self.cohort)
                    if self.cohort
                    else _("Workshop answers: all")
                )
                write_report(answers, path, "html", title)
            else:
                result = write_table(answers, path, fmt, display_names=self.show_names.value)
                lines = exports.notices(result)
        except (WorkshopError, OSError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            message = _("The file could not be written in {folder} ({reason}).").format(
                folder=self.export_dir, reason=reason
            )
            self._show_export(f"<p role='status'>⚠ {html.escape(message)}</p>", message)
            return None
        self._show_export(
            _file_link(path) + "".join(f"<p>{html.escape(line)}</p>" for line in lines),
            "\n".join([_("Written: {path}").format(path=path), *lines]),
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
        static = f"<pre {page_attributes()}>{html.escape(self.summary_text)}</pre>"
        text = _("Trainer dashboard") + "\n" + self.summary_text
        return mimebundle(self.root, text, static, **kwargs)


def _file_link(path: Path) -> str:
    """Where a file was written, with a link to download it when it is next to the notebook
    (a relative link, which JupyterLab resolves to the file's download address)."""
    esc = html.escape
    shown = _("Written: {path}").format(path=path)
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
        + esc(_("Open {file}").format(file=path.name))
        + "</a></p>"
    )


def dashboard(responses_dir_parameter: str = "", cohort: str = "", lang: str = "en") -> Dashboard:
    """The trainer dashboard for the cohort's answers, in `lang`."""
    use(lang)
    return Dashboard(responses_dir_parameter, cohort)
