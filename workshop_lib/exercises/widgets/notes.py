"""Discussion notes: a prompt, a text box saved as the participant types (debounced), a word
count, a visible "saved at" status, and the earlier note loaded back."""

from __future__ import annotations

import asyncio
import html

from workshop_lib.exercises.content import Prompt
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import Exercise
from workshop_lib.exercises.widgets.room import say_if_closed
from workshop_lib.i18n.catalog import _, ngettext
from workshop_lib.responses.session import SaveResult, Session

AUTOSAVE_DELAY_SECONDS = 1.5


def word_count(text: str) -> int:
    """Words in `text`, counted by white space."""
    return len(text.split())


class DiscussionNote(Exercise):
    """A note under one discussion prompt."""

    def __init__(self, prompt: Prompt, session: Session | None = None):
        super().__init__(prompt.activity_id, session, prompt.kind)
        self.prompt = prompt
        self.text = lean.Textarea(
            value="",
            placeholder=_("Type your notes here. They are saved as you type."),
            description=_("Your notes"),
            layout=lean.layout(width="100%", height="10em"),
        )
        self.words = lean.HTML()
        self.save_button = lean.Button(
            description=_("Save now"), icon="save", tooltip=_("Save the note now")
        )
        self.save_button.on_click(lambda _click: self.save_now())
        self._pending: asyncio.TimerHandle | None = None
        self.root = lean.VBox(
            [
                lean.HTML(f"<p><strong>{html.escape(prompt.prompt)}</strong></p>"),
                self.text,
                lean.HBox([self.save_button, self.words]),
                self.status,
            ]
        )
        saved = self.saved_answer()
        if isinstance(saved, str):
            self.text.value = saved
            self.show_status(_("Your earlier note is loaded back."))
        else:
            self.show_status(_("Not saved yet: start typing."))
        self._count()
        say_if_closed(self)
        self.text.observe(self._changed, names="value")

    def _count(self) -> None:
        count = word_count(self.text.value)
        words = ngettext("{count} word", "{count} words", count).format(count=count)
        self.words.value = f"<span>{words}</span>"

    def _changed(self, _change=None) -> None:
        self._count()
        self.schedule_save()

    def schedule_save(self) -> None:
        """Save after a pause in typing; with no running event loop, save at once."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.save_now()
            return
        self._pending = loop.call_later(AUTOSAVE_DELAY_SECONDS, self.save_now)

    def save_now(self) -> SaveResult:
        """Save the note now (an autosave is not an attempt)."""
        self._pending = None
        return self.save(self.text.value, new_attempt=False)

    def plain_text(self) -> str:
        discussion = _("Discussion: {prompt}").format(prompt=self.prompt.prompt)
        placeholder = _("your notes")
        return f"{discussion}\n[ {placeholder} ]"
