"""The agenda as pages: which notebooks of a folder are agenda pages, their titles, the
navigation between them, and the Voilà hook that prepares each page.

Voilà calls `prelaunch_hook` with every notebook it is about to show. The hook removes the
cells tagged `trainer` (so even a trainer's own copy shows no trainer notes in this view), names
the page after its first heading, and attaches the navigation (`metadata.workshop_page`) that
the `workshop` template draws above and below the page: every page of the agenda, with the
current one marked, and the previous and next pages. Links are relative, so they work under
`/voila/render/` on one computer and under `/user/<name>/voila/render/` on a hub alike.

Each page speaks its notebook's language (`metadata.language`, which the translated notebooks
carry; else the server's, WORKSHOP_LANG): the hook attaches the navigation's and the page's own
words in that language, and the language's code and writing direction for `<html lang dir>`.

Only the standard library is imported at the top (the hook runs inside the participant's
Jupyter server); the catalog (`gettext`) is imported where the words are needed.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from dataclasses import asdict, dataclass
from pathlib import Path

# The tag of the trainer's notes (workshop_lib.trainer.runner.TRAINER_TAG; a test keeps them
# equal). Not imported from there: the runner pulls in papermill, and this runs in the server.
TRAINER_TAG = "trainer"
# Agenda pages: "00_welcome.ipynb" to "89_...": two digits, an underscore, a plain name.
# Trainer notebooks (90 and up) and copies handed out beside a changed notebook
# ("01_... (updated 2026-11-28).ipynb") are not agenda pages.
AGENDA_PAGE = re.compile(r"^[0-8]\d_[A-Za-z0-9_-]+\.ipynb$")
NAVIGATION_KEY = "workshop_page"
VOILA_RENDER = "/voila/render/"
LANGUAGE_KEY = "language"  # a translated notebook's metadata: its language code


def N_(message: str) -> str:  # noqa: N802 - the gettext convention (as workshop_lib.i18n.catalog)
    """Mark `message` for translation; it is translated in `page_language`."""
    return message


# The words of the participant view's pages (the template draws them), by name.
PAGE_TEXT = {
    "agenda": N_("Agenda"),
    "contents": N_("Contents"),
    "pager": N_("Previous and next page"),
    "previous": N_("Previous: {page}"),
    "next": N_("Next: {page}"),
    "skip": N_("Skip to the page"),
    "loading": N_("Preparing the page…"),
    "progress": N_("Preparing the page: part {index} of {count}…"),
    "cell_error": N_("This part of the page could not be shown: please tell your trainer."),
    "site_title": N_("Workshop"),
    "unavailable": N_("Page not available"),
    "not_found": N_(
        "This page does not exist here: go to {link}, or ask your trainer for the address."
    ),
    "welcome_page": N_("the welcome page"),
    "not_opened": N_("This page could not be opened (error {code}): please tell your trainer."),
    "needs_javascript": N_(
        "This page needs JavaScript: please turn it on, or ask your trainer for the printed "
        "handout."
    ),
}


def page_language(code: str) -> dict:
    """What a page in `code` needs: {"lang", "dir", "text": the words of PAGE_TEXT in it}."""
    from workshop_lib.i18n.catalog import translations
    from workshop_lib.i18n.languages import LANGUAGES, check

    language = LANGUAGES[check(code).code]
    words = translations(language.code)
    return {
        "lang": language.code,
        "dir": language.direction,
        "text": {key: words.gettext(message) for key, message in PAGE_TEXT.items()},
    }


def notebook_language(notebook) -> str:
    """The language of a notebook: its `metadata.language` when the workshop speaks it, else
    the server's (WORKSHOP_LANG, else English)."""
    from workshop_lib.i18n.languages import LANGUAGES
    from workshop_lib.participant.launch import server_language

    code = str(notebook.get("metadata", {}).get(LANGUAGE_KEY) or "").strip().lower()
    return code if code in LANGUAGES else server_language()


@dataclass(frozen=True)
class Page:
    """One agenda page: its file name, its title, and its label in the navigation."""

    name: str
    title: str
    label: str


def heading_of(notebook: dict, fallback: str) -> str:
    """The text of the notebook's first Markdown heading, or `fallback`."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for line in text.splitlines():
            if line.startswith("#"):
                title = line.lstrip("#").strip().replace("**", "").replace("`", "")
                if title:
                    return title
    return fallback


def short_label(title: str) -> str:
    """The navigation label: the title up to its first colon ("Welcome: ..." -> "Welcome")."""
    return title.split(": ", 1)[0].strip() or title


def read_page(path: Path) -> Page:
    """The page for the notebook at `path` (its file name as title when it cannot be read)."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        notebook = {}
    title = heading_of(notebook if isinstance(notebook, dict) else {}, path.stem)
    return Page(path.name, title, short_label(title))


def agenda_pages(folder: Path) -> list[Page]:
    """The agenda pages in `folder`, in agenda order."""
    try:
        names = sorted(p.name for p in folder.iterdir() if AGENDA_PAGE.match(p.name))
    except OSError:
        return []
    return [read_page(folder / name) for name in names if (folder / name).is_file()]


def navigation(folder: Path, current: str) -> dict:
    """What the template draws: every page (the current one marked), previous and next.
    Each page is {"name", "title", "label", "href", "current"}; previous/next may be None."""
    pages = agenda_pages(folder)
    entries = [
        {**asdict(p), "href": urllib.parse.quote(p.name), "current": p.name == current}
        for p in pages
    ]
    names = [p.name for p in pages]
    index = names.index(current) if current in names else None
    previous = entries[index - 1] if index is not None and index > 0 else None
    following = entries[index + 1] if index is not None and index + 1 < len(entries) else None
    return {"pages": entries, "previous": previous, "next": following}


def without_trainer_cells(notebook):
    """The notebook without the cells tagged `trainer` (changed in place and returned)."""
    notebook["cells"] = [
        cell
        for cell in notebook.get("cells", [])
        if TRAINER_TAG not in cell.get("metadata", {}).get("tags", [])
    ]
    return notebook


def requested_name(path: str) -> str:
    """The notebook's file name from a request path such as
    `/user/ana/voila/render/01_untoc_and_protocols.ipynb`."""
    tail = path.split(VOILA_RENDER, 1)[-1]
    return urllib.parse.unquote(tail).rsplit("/", 1)[-1]


def server_folder(request_handler, cwd: str) -> Path:
    """The folder of the requested notebook on disk: the server's root plus `cwd` (Voilà gives
    the folder relative to the root)."""
    settings = getattr(request_handler, "settings", {}) or {}
    root = settings.get("server_root_dir") or getattr(
        settings.get("contents_manager"), "root_dir", "."
    )
    return Path(os.path.expanduser(str(root))) / cwd


def prepare_page(notebook, folder: Path, name: str):
    """The notebook as a participant page: no trainer notes, titled, with its navigation and
    its words, code and direction in the notebook's language."""
    notebook = without_trainer_cells(notebook)
    page = read_page(folder / name) if (folder / name).is_file() else None
    title = heading_of(notebook, Path(name).stem) if page is None else page.title
    notebook["metadata"]["title"] = title
    notebook["metadata"][NAVIGATION_KEY] = {
        **navigation(folder, name),
        **page_language(notebook_language(notebook)),
    }
    return notebook


def prelaunch_hook(request_handler, notebook, cwd):
    """Voilà's `VoilaConfiguration.prelaunch_hook`: prepare the page before its kernel starts."""
    name = requested_name(request_handler.request.path)
    return prepare_page(notebook, server_folder(request_handler, cwd), name)
