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
from workshop_lib.responses.controls import round_activity
from workshop_lib.responses.session import SaveResult, Session


class PollWidget(Exercise):
    """One poll question with a Submit button, and the room's result once revealed."""

    def __init__(self, poll: Poll, session: Session | None = None):
        super().__init__(poll.activity_id, session, poll.kind)
        self.poll = poll
        self.round = 1
        self.choice = lean.RadioButtons(
            options=list(poll.options),
            value=None,
            description="Answer",
            layout=lean.layout(width="auto"),
        )
        self.submit_button = lean.Button(
            description="Submit",
            button_style="primary",
            icon="paper-plane",
            tooltip="Send your answer to the trainer",
        )
        self.submit_button.on_click(lambda _: self.submit())
        self.result_button = lean.Button(
            description="See the room's result",
            icon="bar-chart",
            tooltip="Show the room's answers, once the trainer has shared them",
        )
        self.result_button.on_click(lambda _: self.show_result())
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
        if isinstance(saved, dict) and saved.get("choice") in poll.options:
            self.choice.value = saved["choice"]
            self.show_status("Your earlier answer is shown; you may change it and submit again.")
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
        return choice if choice in self.poll.options else None

    def _round_sentence(self) -> str:
        earlier = self._earlier_choice()
        before = f" In round {self.round - 1} you answered '{earlier}'." if earlier else ""
        return f"Round {self.round} of this poll: please answer again.{before}"

    def submit(self) -> SaveResult | None:
        """Save the chosen answer (in the poll's current round)."""
        if self.choice.value is None:
            self.show_status("Please choose an answer first.", ok=False)
            return None
        controls = self.session.room(self.poll.activity_id)
        new_round = self._follow_round(controls.round)
        result = self.save({"choice": self.choice.value}, new_attempt=True)
        if result.ok and new_round:
            self.show_status(f"{result.message} It counts for round {self.round} of this poll.")
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
            self.result.value = (
                "<p role='status'>The trainer has not shared the room's result of this "
                "poll yet.</p>"
            )
            return False
        self.result.value = result_html(shown, self.choice.value)
        return True

    def plain_text(self) -> str:
        lines = [f"Poll: {self.poll.question}"]
        lines += [f"   ( ) {option}" for option in self.poll.options]
        return "\n".join(lines)
