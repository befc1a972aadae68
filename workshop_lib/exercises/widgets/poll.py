"""A poll: a question with no right answer, saved like the others so the trainer can show the
room its own answers.

The trainer's room controls (`workshop_lib.responses.controls`) reach the poll: a closed poll
says so and saves nothing; a new round saves under its own activity id (earlier rounds' answers
stay), and the participant is told which round they answer and what they answered before; once
the trainer reveals the room's result, *See the room's result* shows it (never anyone else's
answer: only the counts the trainer published)."""

from __future__ import annotations

import html

from workshop_lib.exercises.content import Poll
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import Exercise
from workshop_lib.exercises.widgets.room import result_html, say_if_closed
from workshop_lib.i18n.catalog import _
from workshop_lib.responses.controls import round_activity
from workshop_lib.responses.session import SaveResult, Session


class PollWidget(Exercise):
    """One poll question with a Submit button, and the room's result once revealed. The options
    show their labels (the current language) and save their English values."""

    def __init__(self, poll: Poll, session: Session | None = None):
        super().__init__(poll.activity_id, session, poll.kind)
        self.poll = poll
        self.round = 1
        self.choice = lean.RadioButtons(
            options=poll.choices(),
            value=None,
            description=_("Answer"),
            layout=lean.layout(width="auto"),
        )
        self.submit_button = lean.Button(
            description=_("Submit"),
            button_style="primary",
            icon="paper-plane",
            tooltip=_("Send your answer to the trainer"),
        )
        self.submit_button.on_click(lambda _click: self.submit())
        self.result_button = lean.Button(
            description=_("See the room's result"),
            icon="bar-chart",
            tooltip=_("Show the room's answers, once the trainer has shared them"),
        )
        self.result_button.on_click(lambda _click: self.show_result())
        self.result = lean.HTML()
        self.root = lean.VBox(
            [
                lean.HTML(f"<p><strong>{html.escape(poll.question)}</strong></p>"),
                self.choice,
                lean.HBox([self.submit_button, self.result_button]),
                self.status,
                self.result,
            ]
        )
        self._follow_round(self.session.room(poll.activity_id).round)
        saved = self.saved_answer()
        if isinstance(saved, dict) and saved.get("choice") in poll.values:
            self.choice.value = saved["choice"]
            self.show_status(_("Your earlier answer is shown; you may change it and submit again."))
        elif self.round > 1:
            self.show_status(self._round_sentence())
        say_if_closed(self)

    def _follow_round(self, round_number: int) -> bool:
        """Answer in round `round_number` from now on; return whether the round changed."""
        changed = round_number != self.round
        self.round = round_number
        self.activity = round_activity(self.poll.activity_id, round_number)
        return changed

    def _earlier_choice(self) -> str | None:
        """What this participant answered in the round before, if anything."""
        if self.round <= 1:
            return None
        earlier = self.session.load(round_activity(self.poll.activity_id, self.round - 1))
        answer = earlier.get("answer") if isinstance(earlier, dict) else None
        choice = answer.get("choice") if isinstance(answer, dict) else None
        return choice if choice in self.poll.values else None

    def _round_sentence(self) -> str:
        earlier = self._earlier_choice()
        sentence = _("Round {round} of this poll: please answer again.").format(round=self.round)
        if not earlier:
            return sentence
        before = _("In round {round} you answered '{answer}'.").format(
            round=self.round - 1, answer=self.poll.label_of(earlier)
        )
        return f"{sentence} {before}"

    def submit(self) -> SaveResult | None:
        """Save the chosen answer (in the poll's current round)."""
        if self.choice.value is None:
            self.show_status(_("Please choose an answer first."), ok=False)
            return None
        controls = self.session.room(self.poll.activity_id)
        new_round = self._follow_round(controls.round)
        result = self.save({"choice": self.choice.value}, new_attempt=True)
        if result.ok and new_round:
            counts = _("It counts for round {round} of this poll.").format(round=self.round)
            self.show_status(f"{result.message} {counts}")
        if result.ok and controls.revealed is not None:
            self.show_result()
        return result

    def show_result(self) -> bool:
        """Show the room's result of this round if the trainer has revealed it; return whether
        it was shown."""
        controls = self.session.room(self.poll.activity_id)
        self._follow_round(controls.round)
        shown = controls.revealed
        if shown is None or shown.round != self.round:
            words = _("The trainer has not shared the room's result of this poll yet.")
            self.result.value = f"<p role='status'>{html.escape(words, quote=False)}</p>"
            return False
        self.result.value = result_html(shown, self.choice.value, self.poll.label_of)
        return True

    def plain_text(self) -> str:
        lines = [_("Poll: {question}").format(question=self.poll.question)]
        lines += [f"   ( ) {option}" for option in self.poll.options]
        return "\n".join(lines)
