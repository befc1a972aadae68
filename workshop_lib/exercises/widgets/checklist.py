"""The post-session checklist: every question and sub-item of the session description, each
answered Yes / Partly / No / Don't know with an optional note, a progress bar, a summary of the
participant's own answers, and export of them."""

from __future__ import annotations

import html

import ipywidgets as widgets

from workshop_lib.exercises.content import Checklist
from workshop_lib.exercises.widgets.base import Exercise
from workshop_lib.exercises.widgets.export import export_links_html
from workshop_lib.responses.session import Session


class ChecklistRow:
    """One answerable line: the scale and a note."""

    def __init__(self, key: str, label: str, scale: tuple[str, ...]):
        self.key = key
        self.label = label
        self.choice = widgets.ToggleButtons(
            options=list(scale),
            value=None,
            description="",
            tooltips=list(scale),
            style={"button_width": "8.5em"},
        )
        self.note = widgets.Text(
            value="",
            placeholder="Optional note",
            description="Note",
            layout=widgets.Layout(width="60%"),
        )
        self.box = widgets.VBox(
            [widgets.HTML(f"<p>{html.escape(label)}</p>"), self.choice, self.note]
        )

    def answer(self) -> dict[str, str]:
        """{'answer': ..., 'note': ...} with empty strings where nothing was given."""
        return {"answer": self.choice.value or "", "note": self.note.value.strip()}


class ChecklistWidget(Exercise):
    """The whole checklist; saved on every change."""

    def __init__(self, checklist: Checklist, session: Session | None = None):
        super().__init__(checklist.activity_id, session, checklist.kind)
        self.checklist = checklist
        self.rows: dict[str, ChecklistRow] = {}
        children = [widgets.HTML(f"<h4>{html.escape(checklist.title)}</h4>")]
        for number, question in enumerate(checklist.questions, start=1):
            if question.items:
                children.append(
                    widgets.HTML(f"<p><strong>{number}. {html.escape(question.text)}</strong></p>")
                )
                for item in question.items:
                    row = ChecklistRow(f"{question.id}.{item.id}", item.text, checklist.scale)
                    self.rows[row.key] = row
                    children.append(row.box)
            else:
                row = ChecklistRow(question.id, f"{number}. {question.text}", checklist.scale)
                self.rows[row.key] = row
                children.append(row.box)
        self.progress = widgets.IntProgress(
            value=0, min=0, max=len(self.rows), description="Answered"
        )
        self.progress_text = widgets.HTML()
        self.summary = widgets.HTML()
        self.exports = widgets.HTML()
        self.root = widgets.VBox(
            children
            + [
                widgets.HBox([self.progress, self.progress_text]),
                self.status,
                widgets.HTML("<h4>Your answers</h4>"),
                self.summary,
                self.exports,
            ]
        )
        self._restore()
        for row in self.rows.values():
            row.choice.observe(self._changed, names="value")
            row.note.observe(self._changed, names="value")
        self._refresh()

    def _restore(self) -> None:
        saved = self.saved_answer()
        if not isinstance(saved, dict):
            return
        for key, row in self.rows.items():
            given = saved.get(key, {})
            if given.get("answer") in self.checklist.scale:
                row.choice.value = given["answer"]
            row.note.value = given.get("note", "")

    def answers(self) -> dict[str, dict[str, str]]:
        """Every row's answer and note."""
        return {key: row.answer() for key, row in self.rows.items()}

    def answered(self) -> int:
        """How many rows have a choice."""
        return sum(1 for row in self.rows.values() if row.choice.value)

    def _refresh(self) -> None:
        done = self.answered()
        self.progress.value = done
        self.progress_text.value = f"<span>{done} of {len(self.rows)} answered</span>"
        items = []
        for row in self.rows.values():
            answer = row.answer()
            note = f" ({html.escape(answer['note'])})" if answer["note"] else ""
            items.append(
                f"<li>{html.escape(row.label)}: "
                f"<strong>{html.escape(answer['answer'] or 'not answered')}</strong>"
                f"{note}</li>"
            )
        self.summary.value = "<ul>" + "".join(items) + "</ul>"
        self.exports.value = export_links_html(self.session)

    def _changed(self, _change=None) -> None:
        self.save(self.answers(), new_attempt=False)
        self._refresh()

    def plain_text(self) -> str:
        scale = " / ".join(self.checklist.scale)
        lines = [self.checklist.title, f"Answer each with: {scale} (and an optional note)"]
        for number, question in enumerate(self.checklist.questions, start=1):
            lines.append(f"{number}. {question.text}")
            lines += [f"   - {item.text}" for item in question.items]
        return "\n".join(lines)
