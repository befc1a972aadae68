"""A participant's own answers as download links (CSV and Markdown), made in the kernel and
embedded in the page, so they work even when the responses folder cannot be written."""

from __future__ import annotations

import base64
import html

from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import mimebundle
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.responses.session import Session, current

CSV_LABEL = N_("Export my answers (CSV)")
MARKDOWN_LABEL = N_("Export my answers (Markdown)")


def download_link(text: str, filename: str, mime: str, label: str) -> str:
    """An HTML link that downloads `text` as `filename`, with no file on the server."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(filename)}" href="data:{mime};charset=utf-8;base64,'
        f'{payload}" style="text-decoration:underline;color:#1a5fb4">{html.escape(label)}</a>'
    )


def export_links_html(session: Session) -> str:
    """Download links for the session's own answers, every notebook of the cohort."""
    stem = f"my-answers-{session.cohort}"
    csv_link = download_link(session.export_csv(), f"{stem}.csv", "text/csv", _(CSV_LABEL))
    md_link = download_link(
        session.export_markdown(), f"{stem}.md", "text/markdown", _(MARKDOWN_LABEL)
    )
    return f"<p>{csv_link} · {md_link}</p>"


class MyAnswers:
    """Links to download the participant's own answers, refreshed on request."""

    def __init__(self, session: Session | None = None):
        self.session = session or current()
        self.links = lean.HTML()
        self.refresh_button = lean.Button(
            description=_("Refresh export"),
            icon="refresh",
            tooltip=_("Include your latest answers"),
        )
        self.refresh_button.on_click(lambda _click: self.refresh())
        self.root = lean.VBox([self.links, self.refresh_button])
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the links from the answers saved (or kept in memory) now."""
        self.links.value = export_links_html(self.session)

    def _repr_mimebundle_(self, **kwargs):
        csv_label, markdown_label = _(CSV_LABEL), _(MARKDOWN_LABEL)
        text = f"[{csv_label}] [{markdown_label}]"
        static = (
            f"<p>{html.escape(csv_label, quote=False)} · "
            f"{html.escape(markdown_label, quote=False)}</p>"
        )
        return mimebundle(self.root, text, static, **kwargs)
