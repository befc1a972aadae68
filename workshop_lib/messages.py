"""A one-sentence notice for the participant, shown as text and as HTML."""

from __future__ import annotations

import html


class Message:
    """A notice such as "We could not find a country called 'X'" instead of a traceback."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<p class="workshop-message" role="status">{html.escape(self.text)}</p>'
