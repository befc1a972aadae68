"""A poll: a question with no right answer, saved like the others so the trainer can show the
room its own answers."""

from __future__ import annotations

import html

import ipywidgets as widgets

from workshop_lib.exercises.content import Poll
from workshop_lib.exercises.widgets.base import Exercise
from workshop_lib.responses.session import SaveResult, Session


class PollWidget(Exercise):
    """One poll question with a Submit button."""

    def __init__(self, poll: Poll, session: Session | None = None):
        super().__init__(poll.activity_id, session, poll.kind)
        self.poll = poll
        self.choice = widgets.RadioButtons(
            options=list(poll.options),
            value=None,
            description="Answer",
            layout=widgets.Layout(width="auto"),
        )
        self.submit_button = widgets.Button(
            description="Submit",
            button_style="primary",
            icon="paper-plane",
            tooltip="Send your answer to the trainer",
        )
        self.submit_button.on_click(lambda _: self.submit())
        self.root = widgets.VBox(
            [
                widgets.HTML(f"<p><strong>{html.escape(poll.question)}</strong></p>"),
                self.choice,
                self.submit_button,
                self.status,
            ]
        )
        saved = self.saved_answer()
        if isinstance(saved, dict) and saved.get("choice") in poll.options:
            self.choice.value = saved["choice"]
            self.show_status("Your earlier answer is shown; you may change it and submit again.")

    def submit(self) -> SaveResult | None:
        """Save the chosen answer."""
        if self.choice.value is None:
            self.show_status("Please choose an answer first.", ok=False)
            return None
        return self.save({"choice": self.choice.value}, new_attempt=True)

    def plain_text(self) -> str:
        lines = [f"Poll: {self.poll.question}"]
        lines += [f"   ( ) {option}" for option in self.poll.options]
        return "\n".join(lines)
