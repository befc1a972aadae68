"""What every exercise widget shares: saving with a visible status, restoring, a readable
rendering without a live widget manager, and the accessibility stylesheet (`style`)."""

from __future__ import annotations

import abc
import html

import ipywidgets as widgets

from workshop_lib.exercises.elements import element_words
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.style import make_accessible
from workshop_lib.i18n.catalog import _
from workshop_lib.responses.session import SaveResult, Session, current

OK_MARK = "✓"
PROBLEM_MARK = "✗"


def status_html(message: str, ok: bool) -> str:
    """A status line announced to screen readers; the mark and the words carry the meaning."""
    mark = OK_MARK if ok else "⚠"
    colour = "#1b5e20" if ok else "#8a1c1c"
    return (
        f'<p role="status" aria-live="polite" style="color:{colour}">'
        f"{mark} {html.escape(message)}</p>"
    )


def verdict_html(right: bool, headline: str, body: str, source: str) -> str:
    """Feedback on one answer: a word and a mark (not only a colour), the reasons, the source."""
    mark, word, colour = (
        (OK_MARK, _("Correct."), "#1b5e20") if right else (PROBLEM_MARK, _("Not quite."), "#8a1c1c")
    )
    cited = _("Source: {source}").format(source=source)
    return (
        f'<div role="status" style="border-left:4px solid {colour};padding:0.25em 0.75em;'
        f'margin:0.25em 0">'
        f"<strong>{mark} {html.escape(word)}</strong> {html.escape(headline)}"
        f"<br>{html.escape(body)}<br><em>{html.escape(cited)}</em></div>"
    )


def element_checkboxes(keys) -> dict[str, widgets.Checkbox]:
    """A check box per element of the crimes (its words in the current language), by key."""
    return {
        key: lean.Checkbox(
            value=False,
            description=element_words(key)[0],
            indent=False,
            layout=lean.layout(width="auto"),
        )
        for key in keys
    }


CHOICE_MARKS = {"( )": "○", "[ ]": "☐"}


def text_to_html(text: str) -> str:
    """Render an exercise's plain text as HTML: the first line as a heading, lines of choices
    (`( ) ...`, `[ ] ...`, `- ...`) as lists, the rest as paragraphs. Everything is escaped."""
    lines = text.splitlines()
    parts = [f"<p><strong>{html.escape(lines[0])}</strong></p>"] if lines else []
    items: list[str] = []
    for line in lines[1:] + [""]:
        stripped = line.strip()
        mark = next((m for m in (*CHOICE_MARKS, "-") if stripped.startswith(m + " ")), None)
        if mark:
            symbol = CHOICE_MARKS.get(mark, "•")
            items.append(f"<li>{symbol} {html.escape(stripped[len(mark) + 1 :])}</li>")
            continue
        if items:
            parts.append(f'<ul style="list-style:none">{"".join(items)}</ul>')
            items = []
        if stripped:
            parts.append(f"<p>{html.escape(stripped)}</p>")
    return f'<div class="workshop-exercise">{"".join(parts)}</div>'


def mimebundle(root: widgets.Widget, text: str, static: str, **kwargs) -> dict:
    """The live widget for JupyterLab (carrying the accessibility stylesheet), plus text and
    static HTML for every other reader."""
    make_accessible(root)
    bundle = root._repr_mimebundle_(**kwargs) or {}
    bundle["text/plain"] = text
    bundle["text/html"] = static
    return bundle


# HTML widgets held under these attribute names show feedback: they are marked as live regions
# (style.LIVE_CLASS) when the exercise's root is set, on the exercise and on each of its
# `questions` (a quiz's questions have their own feedback).
LIVE_ATTRIBUTES = ("status", "feedback", "score", "result", "progress_text")


def live_widgets(owner: object) -> list[widgets.HTML]:
    """The feedback widgets of `owner` and of its `questions`, by the names above."""
    found = [getattr(owner, name, None) for name in LIVE_ATTRIBUTES]
    for question in getattr(owner, "questions", None) or []:
        found += [getattr(question, name, None) for name in LIVE_ATTRIBUTES]
    return [w for w in found if isinstance(w, widgets.HTML)]


class Exercise(abc.ABC):
    """Base class: subclasses build `self.root` and describe themselves in `plain_text()`.
    An exercise made from content takes its activity id and kind from it. Setting `root` gives
    it the accessibility stylesheet and marks the feedback widgets (`LIVE_ATTRIBUTES`)."""

    kind = "answer"

    @property
    def root(self) -> widgets.Box:
        """The exercise's outermost box, as displayed."""
        return self._root

    @root.setter
    def root(self, box: widgets.Box) -> None:
        self._root = make_accessible(box, live_widgets(self))

    def __init__(self, activity: str, session: Session | None = None, kind: str = ""):
        self.activity = activity
        self.kind = kind or self.kind
        self.session = session or current()
        self.status = lean.HTML(value="")
        self.root: widgets.Box = lean.VBox()

    def show_status(self, message: str, ok: bool = True) -> None:
        """Show one sentence under the exercise."""
        self.status.value = status_html(message, ok)

    def save(self, answer: object, new_attempt: bool = True) -> SaveResult:
        """Save through the session and show what happened."""
        result = self.session.save(self.activity, answer, self.kind, new_attempt)
        self.show_status(result.message, result.ok)
        return result

    def saved_answer(self) -> object | None:
        """The answer saved earlier (or kept in memory), if any."""
        record = self.session.load(self.activity)
        return None if record is None else record["answer"]

    @abc.abstractmethod
    def plain_text(self) -> str:
        """The exercise as text: the question and its choices, never anyone's answers."""

    def static_html(self) -> str:
        """The exercise as static HTML, made from its text: choices become lists."""
        return text_to_html(self.plain_text())

    def _repr_mimebundle_(self, **kwargs):
        return mimebundle(self.root, self.plain_text(), self.static_html(), **kwargs)
