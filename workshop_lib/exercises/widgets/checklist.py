"""The post-session checklist: every question and sub-item of the session description, each
answered Yes / Partly / No / Don't know with an optional note, a progress bar, a summary of the
participant's own answers, and export of them.

The first question ("What is the ratification status ...?") asks for a fact, not an opinion: it
shows the participant's country status from the ratification table (the country of the session,
or one chosen there) and takes a note. Its answer keeps the shape of every other row,
{"answer": the status text or "", "note": ...}.

What is saved never depends on the language: a scale answer is the English value of the option
(`Checklist.scale_values`), the status text is written in English; both are shown to the
participant in their language.
"""

from __future__ import annotations

import contextlib
import html
import re

import ipywidgets as widgets

from workshop_lib.dates import format_day
from workshop_lib.exercises.content import Checklist
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import Exercise
from workshop_lib.exercises.widgets.country import country_options
from workshop_lib.exercises.widgets.export import export_links_html
from workshop_lib.exercises.widgets.room import say_if_closed
from workshop_lib.facts.cards import STATUS_WORDS, CountryCard
from workshop_lib.facts.countries import UnknownCountryError
from workshop_lib.facts.status import CountryStatus, country_status, resolve_country
from workshop_lib.i18n.catalog import _, language, use
from workshop_lib.i18n.languages import DEFAULT
from workshop_lib.responses.session import Session

try:  # the words of a type of action in the current language (the facts module's own)
    from workshop_lib.facts.status import action_type_words
except ImportError:  # pragma: no cover - an older facts module: the type as the data has it

    def action_type_words(action_type: str) -> str:
        return action_type


@contextlib.contextmanager
def in_english():
    """Speak English for a moment (to write a stored value), then the language spoken before."""
    before = language()
    use(DEFAULT)
    try:
        yield
    finally:
        use(before)


class ChecklistRow:
    """One answerable line: the scale (labels shown, English values saved) and a note."""

    def __init__(self, key: str, label: str, scale: list[tuple[str, str]]):
        self.key = key
        self.label = label
        self.scale = list(scale)
        self.choice = lean.ToggleButtons(
            options=self.scale,
            value=None,
            description="",
            tooltips=[shown for shown, _value in self.scale],
            style=lean.style(widgets.ToggleButtonsStyle, button_width="8.5em"),
        )
        self.note = lean.Text(
            value="",
            placeholder=_("Optional note"),
            description=_("Note"),
            layout=lean.layout(width="60%"),
        )
        self.box = lean.VBox([lean.HTML(f"<p>{html.escape(label)}</p>"), self.choice, self.note])

    def answer(self) -> dict[str, str]:
        """{'answer': ..., 'note': ...} with empty strings where nothing was given; the answer
        is the stored (English) value of the option chosen."""
        return {"answer": self.choice.value or "", "note": self.note.value.strip()}

    def shown_answer(self) -> str:
        """The answer as the participant reads it (the label of the option), or ''."""
        value = self.choice.value
        return next((shown for shown, v in self.scale if v == value), value or "")

    def restore(self, given: dict, scale: tuple[str, ...]) -> None:
        """Show a saved answer again (`scale`: the stored values; an answer off it is left
        out)."""
        if given.get("answer") in scale:
            self.choice.value = given["answer"]
        self.note.value = given.get("note", "")

    def controls(self) -> list[widgets.Widget]:
        """The controls whose changes are saved."""
        return [self.choice, self.note]


def status_summary(status: CountryStatus) -> str:
    """One line for the answer, as it is saved (in English, whatever the language): 'Kenya
    (KEN): UNTOC: Party (accession, 16 June 2004; as of ..., source ...); ...', from the same
    rows as the country card."""
    with in_english():
        parts = []
        for item in status.instruments:
            detail = [item.action_type] if item.action_type else []
            if item.action_date:
                detail.append(format_day(item.action_date))
            if item.as_of:
                detail.append(f"as of {format_day(item.as_of)}")
            detail.append(f"source {item.source}")
            parts.append(f"{item.instrument}: {STATUS_WORDS[item.status]} ({', '.join(detail)})")
        return f"{status.name} ({status.code}): " + "; ".join(parts)


def status_summary_shown(status: CountryStatus) -> str:
    """The same line in the current language, for the participant to read."""
    parts = []
    for item in status.instruments:
        detail = [action_type_words(item.action_type)] if item.action_type else []
        if item.action_date:
            detail.append(format_day(item.action_date))
        if item.as_of:
            detail.append(_("as of {date}").format(date=format_day(item.as_of)))
        detail.append(_("source {source}").format(source=item.source))
        parts.append(
            _("{instrument}: {status} ({details})").format(
                instrument=item.instrument,
                status=_(STATUS_WORDS[item.status]),
                details=", ".join(detail),
            )
        )
    return _("{country} ({code}): {instruments}").format(
        country=status.name, code=status.code, instruments="; ".join(parts)
    )


class CountryStatusRow:
    """The ratification question: the country's status from the data, and a note."""

    def __init__(self, key: str, label: str, country: str = ""):
        self.key = key
        self.label = label
        self.country = lean.Dropdown(
            options=[(_("Choose your country…"), "")] + list(country_options()),
            value="",
            description=_("Country"),
        )
        self.status = lean.HTML()
        self.note = lean.Text(
            value="",
            placeholder=_("Optional note, e.g. what has changed since the as-of date"),
            description=_("Note"),
            layout=lean.layout(width="60%"),
        )
        intro = _(
            "Your country's participation as the project's ratification table records it, "
            "with as-of dates and sources; add what you know in the note."
        )
        self.box = lean.VBox(
            [
                lean.HTML(f"<p>{html.escape(label)}</p>"),
                lean.HTML(f"<p><em>{html.escape(intro)}</em></p>"),
                self.country,
                self.status,
                self.note,
            ]
        )
        self.choose(country)
        self.country.observe(lambda _change: self._render(), names="value")

    def choose(self, country: str) -> None:
        """Show `country` (a name or code); an unknown or empty one leaves the list unchosen."""
        try:
            code = resolve_country(country) if country.strip() else ""
        except UnknownCountryError:
            code = ""
        if code in {c for _, c in country_options()}:
            self.country.value = code
        self._render()

    def _render(self) -> None:
        code = self.country.value
        self.status.value = CountryCard(country_status(code))._repr_html_() if code else ""

    def answer(self) -> dict[str, str]:
        """{'answer': the status text in English ('' until a country is chosen), 'note': ...}."""
        code = self.country.value
        if not code:
            return {"answer": "", "note": self.note.value.strip()}
        with in_english():
            text = status_summary(country_status(code))
        return {"answer": text, "note": self.note.value.strip()}

    def shown_answer(self) -> str:
        """The status text in the current language, or ''."""
        code = self.country.value
        return status_summary_shown(country_status(code)) if code else ""

    def restore(self, given: dict, scale: tuple[str, ...]) -> None:
        """Show the saved country (read from the '(ISO)' of the saved text) and note."""
        found = re.match(r"^[^:]*\(([A-Z]{3})\):", str(given.get("answer", "")))
        if found:
            self.choose(found.group(1))
        self.note.value = given.get("note", "")

    def controls(self) -> list[widgets.Widget]:
        """The controls whose changes are saved."""
        return [self.country, self.note]


class ChecklistWidget(Exercise):
    """The whole checklist; saved on every change."""

    def __init__(self, checklist: Checklist, session: Session | None = None):
        super().__init__(checklist.activity_id, session, checklist.kind)
        self.checklist = checklist
        self.rows: dict[str, ChecklistRow | CountryStatusRow] = {}
        children = [lean.HTML(f"<h4>{html.escape(checklist.title)}</h4>")]
        for number, question in enumerate(checklist.questions, start=1):
            if question.answer == "country-status":
                row = CountryStatusRow(
                    question.id, f"{number}. {question.text}", self._known_country()
                )
                self.rows[row.key] = row
                children.append(row.box)
            elif question.items:
                children.append(
                    lean.HTML(f"<p><strong>{number}. {html.escape(question.text)}</strong></p>")
                )
                for item in question.items:
                    row = ChecklistRow(
                        f"{question.id}.{item.id}", item.text, checklist.scale_choices()
                    )
                    self.rows[row.key] = row
                    children.append(row.box)
            else:
                row = ChecklistRow(
                    question.id, f"{number}. {question.text}", checklist.scale_choices()
                )
                self.rows[row.key] = row
                children.append(row.box)
        self.progress = lean.IntProgress(
            value=0, min=0, max=len(self.rows), description=_("Answered")
        )
        self.progress_text = lean.HTML()
        self.summary = lean.HTML()
        self.exports = lean.HTML()
        self.root = lean.VBox(
            children
            + [
                lean.HBox([self.progress, self.progress_text]),
                self.status,
                lean.HTML("<h4>" + html.escape(_("Your answers"), quote=False) + "</h4>"),
                self.summary,
                self.exports,
            ]
        )
        self._restore()
        for row in self.rows.values():
            for control in row.controls():
                control.observe(self._changed, names="value")
        self._refresh()
        say_if_closed(self)

    def _known_country(self) -> str:
        """The session's country, else the one chosen in this notebook's country card."""
        if self.session.country:
            return self.session.country
        record = self.session.load("country")
        answer = record.get("answer") if isinstance(record, dict) else None
        return answer.get("country", "") if isinstance(answer, dict) else ""

    def _restore(self) -> None:
        saved = self.saved_answer()
        if not isinstance(saved, dict):
            return
        for key, row in self.rows.items():
            given = saved.get(key, {})
            row.restore(given if isinstance(given, dict) else {}, self.checklist.scale_values)

    def answers(self) -> dict[str, dict[str, str]]:
        """Every row's answer and note."""
        return {key: row.answer() for key, row in self.rows.items()}

    def answered(self) -> int:
        """How many rows have an answer (a choice, or a country's status)."""
        return sum(1 for row in self.rows.values() if row.answer()["answer"])

    def _refresh(self) -> None:
        done = self.answered()
        self.progress.value = done
        answered = _("{done} of {total} answered").format(done=done, total=len(self.rows))
        self.progress_text.value = f"<span>{html.escape(answered)}</span>"
        items = []
        for row in self.rows.values():
            note = row.answer()["note"]
            note = f" ({html.escape(note)})" if note else ""
            shown = row.shown_answer() or _("not answered")
            line = html.escape(_("{question}: {answer}"), quote=False).format(
                question=html.escape(row.label),
                answer=f"<strong>{html.escape(shown)}</strong>",
            )
            items.append(f"<li>{line}{note}</li>")
        self.summary.value = "<ul>" + "".join(items) + "</ul>"
        self.exports.value = export_links_html(self.session)

    def _changed(self, _change=None) -> None:
        self.save(self.answers(), new_attempt=False)
        self._refresh()

    def plain_text(self) -> str:
        scale = " / ".join(self.checklist.scale)
        lines = [
            self.checklist.title,
            _(
                "Answer with: {scale} (and an optional note), except where your country's "
                "status is shown"
            ).format(scale=scale),
        ]
        for number, question in enumerate(self.checklist.questions, start=1):
            shown = (
                " " + _("(your country's status from the ratification table, and a note)")
                if question.answer == "country-status"
                else ""
            )
            lines.append(f"{number}. {question.text}{shown}")
            lines += [f"   - {item.text}" for item in question.items]
        return "\n".join(lines)
