"""The elements check: a decision aid. Tick the facts of a case and see, as you tick, whether
they meet the trafficking definition, the smuggling definition, both or neither, and why."""

from __future__ import annotations

import dataclasses
import html

from workshop_lib.exercises.elements import (
    OTHER_FACTS,
    SOM_ELEMENTS,
    TIP_ELEMENTS,
    CaseFacts,
    assess,
    element_words,
)
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import Exercise, element_checkboxes
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.responses.session import Session

FACTS = TIP_ELEMENTS | SOM_ELEMENTS | OTHER_FACTS
TITLE = N_("Elements check: tick what happened in the case")
OUTCOME_WORDS = {
    "trafficking": N_("These facts meet the definition of trafficking in persons only."),
    "smuggling": N_("These facts meet the definition of smuggling of migrants only."),
    "both": N_(
        "These facts meet both definitions: trafficking in persons and smuggling of migrants."
    ),
    "neither": N_("These facts meet neither definition."),
}
# When the only smuggling offence met is enabling illegal stay, no definition of smuggling is.
STAY_ONLY_WORDS = {
    "smuggling": N_(
        "These facts meet no definition of smuggling of migrants (SOM art. 3(a)), but an offence "
        "of the SOM Protocol: enabling illegal stay (art. 6(1)(c))."
    ),
    "both": N_(
        "These facts meet the definition of trafficking in persons and an offence of the SOM "
        "Protocol: enabling illegal stay (art. 6(1)(c)), though no definition of smuggling of "
        "migrants (SOM art. 3(a))."
    ),
}


class ElementsCheck(Exercise):
    """Tick boxes for the facts; the assessment updates on every change and is saved."""

    kind = "decision-aid"

    def __init__(self, activity: str = "elements-check", session: Session | None = None):
        super().__init__(activity, session)
        self.boxes = element_checkboxes(FACTS)
        self.result = lean.HTML()
        groups = [
            (_("Trafficking in persons"), TIP_ELEMENTS),
            (_("Smuggling of migrants"), SOM_ELEMENTS),
            (_("Other facts"), OTHER_FACTS),
        ]
        children = [lean.HTML(f"<h4>{html.escape(_(TITLE))}</h4>")]
        for title, group in groups:
            children.append(lean.HTML(f"<p><strong>{html.escape(title)}</strong></p>"))
            children.append(lean.VBox([self.boxes[k] for k in group]))
        self.root = lean.VBox(children + [self.result, self.status])
        saved = self.saved_answer()
        if isinstance(saved, dict):
            for key in saved.get("facts", []):
                if key in self.boxes:
                    self.boxes[key].value = True
        for box in self.boxes.values():
            box.observe(self._changed, names="value")
        self._render()

    def facts(self) -> CaseFacts:
        """The ticked facts."""
        return CaseFacts(**{k: box.value for k, box in self.boxes.items()})

    def _render(self):
        outcome = assess(self.facts())
        words = _(
            STAY_ONLY_WORDS[outcome.classification]
            if outcome.illegal_stay and not outcome.smuggling
            else OUTCOME_WORDS[outcome.classification]
        )
        reasons = "".join(
            "<li>{} <em>({})</em></li>".format(*map(html.escape, r.shown()))
            for r in outcome.reasons
        )
        self.result.value = (
            f'<div role="status" aria-live="polite"><p><strong>'
            f"{html.escape(words)}</strong></p><ol>{reasons}</ol></div>"
        )
        return outcome

    def _changed(self, _change=None) -> None:
        outcome = self._render()
        ticked = sorted(k for k, v in dataclasses.asdict(self.facts()).items() if v)
        self.save({"facts": ticked, "classification": outcome.classification}, new_attempt=False)

    def plain_text(self) -> str:
        lines = [_(TITLE)]
        lines += [f"   [ ] {element_words(key)[0]}" for key in FACTS]
        return "\n".join(lines)
