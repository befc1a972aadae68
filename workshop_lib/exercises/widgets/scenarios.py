"""Case scenarios: the participant classifies a fact pattern (trafficking, smuggling, both or
neither), marks the elements present, and gets the reasoning element by element."""

from __future__ import annotations

import html

from workshop_lib.exercises.content import Scenario, ScenarioSet
from workshop_lib.exercises.elements import (
    OTHER_FACTS,
    SOM_ELEMENTS,
    TIP_ELEMENTS,
    assess,
    element_words,
)
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import (
    OK_MARK,
    PROBLEM_MARK,
    Exercise,
    element_checkboxes,
    mimebundle,
    verdict_html,
)
from workshop_lib.exercises.widgets.room import say_if_closed
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.responses.session import SaveResult, Session

# The classifications a participant chooses from, by the id that is saved (English, marked for
# translation: shown with `classification_label`).
CLASSIFICATION_LABELS = {
    "trafficking": N_("Trafficking in persons"),
    "smuggling": N_("Smuggling of migrants"),
    "both": N_("Both"),
    "neither": N_("Neither"),
}
MARKED_ELEMENTS = TIP_ELEMENTS | SOM_ELEMENTS


def classification_label(key: str) -> str:
    """The label of a classification id in the current language (an unknown id as it is)."""
    return _(CLASSIFICATION_LABELS[key]) if key in CLASSIFICATION_LABELS else key


class ScenarioCard(Exercise):
    """One scenario: classify, tick the elements, check."""

    def __init__(self, scenario: Scenario, session: Session | None = None):
        super().__init__(scenario.activity_id, session, scenario.kind)
        self.scenario = scenario
        self.classification = lean.RadioButtons(
            options=[(classification_label(key), key) for key in CLASSIFICATION_LABELS],
            value=None,
            description=_("This is"),
            layout=lean.layout(width="auto"),
        )
        self.elements = element_checkboxes(MARKED_ELEMENTS)
        self.check_button = lean.Button(
            description=_("Check"),
            button_style="primary",
            icon="check",
            tooltip=_("Check your answer to: {title}").format(title=scenario.title),
        )
        self.check_button.on_click(lambda _click: self.check())
        self.feedback = lean.HTML()
        tip = [self.elements[k] for k in TIP_ELEMENTS]
        som = [self.elements[k] for k in SOM_ELEMENTS]
        self.root = lean.VBox(
            [
                lean.HTML(
                    f"<h4>{html.escape(scenario.title)}</h4><p>{html.escape(scenario.facts)}</p>"
                ),
                self.classification,
                lean.HTML(
                    "<p>"
                    + html.escape(_("Which elements are present? Trafficking in persons:"))
                    + "</p>"
                ),
                lean.VBox(tip),
                lean.HTML("<p>" + html.escape(_("Smuggling of migrants:")) + "</p>"),
                lean.VBox(som),
                self.check_button,
                self.feedback,
                self.status,
            ]
        )
        self._restore()
        say_if_closed(self)

    def ticked(self) -> list[str]:
        """The elements the participant marked as present."""
        return sorted(k for k, box in self.elements.items() if box.value)

    def _restore(self) -> None:
        saved = self.saved_answer()
        if isinstance(saved, dict) and saved.get("classification") in CLASSIFICATION_LABELS:
            self.classification.value = saved["classification"]
            for key, box in self.elements.items():
                box.value = key in saved.get("elements", [])
            self._show_feedback()

    def _element_lines(self) -> tuple[int, str]:
        expected = self.scenario.elements
        notes = self.scenario.element_notes
        rows, right = [], 0
        esc = html.escape
        for key in MARKED_ELEMENTS:
            label, source = element_words(key)
            present = expected[key]
            said = self.elements[key].value
            either = key in self.scenario.either_way
            ok = either or present == said
            right += ok
            mark = OK_MARK if ok else PROBLEM_MARK
            fact = _("present") if present else _("absent")
            if either:
                fact = _("{fact} (either answer can be defended)").format(fact=fact)
            you = _("you ticked it") if said else _("you did not tick it")
            note = f"<br><small>{esc(notes[key])}</small>" if key in notes else ""
            line = esc(_("{element}: {fact}; {you}"), quote=False).format(
                element=esc(label), fact=f"<strong>{esc(fact)}</strong>", you=esc(you)
            )
            rows.append(f"<li>{mark} {line} <em>({esc(source)})</em>{note}</li>")
        yes, no = _("yes"), _("no")
        other_line = esc(_("{fact}: {answer}."), quote=False)
        others = "".join(
            "<li>"
            + other_line.format(
                fact=esc(element_words(key)[0]),
                answer=f"<strong>{esc(yes if expected[key] else no)}</strong>",
            )
            + f" {esc(note)}</li>"
            for key, note in notes.items()
            if key in OTHER_FACTS
        )
        other_facts = esc(_("Other facts:"))
        more = f"<p>{other_facts}</p><ul>{others}</ul>" if others else ""
        return right, "<ul>" + "".join(rows) + "</ul>" + more

    def _show_feedback(self) -> bool:
        expected = self.scenario.classification
        right = self.classification.value == expected
        headline = _("The facts show: {classification}.").format(
            classification=classification_label(expected).lower()
        )
        verdict = verdict_html(right, headline, self.scenario.teaching_point, self.scenario.source)
        correct_elements, element_list = self._element_lines()
        reasons = "".join(
            "<li>{} <em>({})</em></li>".format(*map(html.escape, r.shown()))
            for r in assess(self.scenario.case_facts()).reasons
        )
        marked = _("Elements: {right} of {total} marked as the facts show.").format(
            right=correct_elements, total=len(MARKED_ELEMENTS)
        )
        self.feedback.value = (
            f"{verdict}<p>{html.escape(marked)}</p>{element_list}"
            "<p>" + html.escape(_("The reasoning:")) + f"</p><ol>{reasons}</ol>"
        )
        return right

    def check(self) -> SaveResult | None:
        """Show the verdict and the element-by-element reasoning; save the answer."""
        if self.classification.value is None:
            self.show_status(
                _("Please choose trafficking, smuggling, both or neither first."), False
            )
            return None
        right = self._show_feedback()
        answer = {
            "classification": self.classification.value,
            "elements": self.ticked(),
            "correct": right,
        }
        return self.save(answer, new_attempt=True)

    def plain_text(self) -> str:
        lines = [
            _("Scenario: {title}").format(title=self.scenario.title),
            self.scenario.facts,
            _("This is:"),
        ]
        lines += [f"   ( ) {classification_label(key)}" for key in CLASSIFICATION_LABELS]
        lines.append(_("Elements present:"))
        lines += [f"   [ ] {element_words(key)[0]}" for key in MARKED_ELEMENTS]
        return "\n".join(lines)


class ScenarioSetWidget:
    """Every scenario of a set, one after the other."""

    def __init__(self, scenario_set: ScenarioSet, session: Session | None = None):
        self.cards = [ScenarioCard(s, session) for s in scenario_set.scenarios]
        self.title = scenario_set.title
        self.root = lean.VBox(
            [lean.HTML(f"<h3>{html.escape(self.title)}</h3>")] + [c.root for c in self.cards]
        )

    def plain_text(self) -> str:
        """Every scenario as text."""
        return "\n\n".join([self.title] + [c.plain_text() for c in self.cards])

    def _repr_mimebundle_(self, **kwargs):
        static = "".join(
            [f"<h3>{html.escape(self.title)}</h3>"] + [c.static_html() for c in self.cards]
        )
        return mimebundle(self.root, self.plain_text(), static, **kwargs)
