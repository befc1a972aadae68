"""The authentic English texts of UNTOC, the TIP Protocol and the SOM Protocol (`data/treaties/`),
read article by article, and the one function that tidies their database style.

Provenance and the source's oddities are described in `data/treaties/README.md`. The files keep
the database's style; `normalise()` is the single, documented place where it is converted to the
style the training material quotes in, and both the quotations in `data/definitions.csv` and the
tests that check every quotation (`tests/test_treaty_texts.py`) go through it. It changes:

1. subparagraph letters to the UN's style: `a)` becomes `(a)`, also inside cross-references
   ("paragraph 1 a), b) (i) and c)" becomes "paragraph 1 (a), (b) (i) and (c)"); labels already
   in brackets, such as `(i)`, are left alone;
2. a label at the start of a subparagraph gets the space the database lost: `(i)That` becomes
   `(i) That`;
3. the quotation marks around a defined term (the database's ``` ``term" ``` and the curly
   `“term”` of UNTOC art. 2) become single straight quotes, `'term'`, because our quotations are
   themselves set in double quotes;
4. the paragraphs of a provision are joined with single spaces.

No word, letter case or other punctuation changes.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from workshop_lib.paths import data_dir

FILES = {"UNTOC": "untoc", "TIP": "tip", "SOM": "som"}  # data/treaties/<name>.<language>.md
ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")

_ARTICLE_HEADING = re.compile(r"^## Article (\d+) - (.+)$")
_REFERENCE = re.compile(r"arts?\.\s*(\d+)((?:\s?\([0-9a-z]+\))*)", re.IGNORECASE)
_PARAGRAPH = re.compile(r"^(\d+)\. ")


class ProvisionNotFoundError(LookupError):
    """A reference (for example 'art. 3(e)') names no provision of the instrument."""


def treaty_file(instrument: str, folder: Path | None = None, lang: str = "en") -> Path:
    """The file holding the instrument's authentic text ('UNTOC', 'TIP' or 'SOM') in `lang`."""
    return (folder or data_dir()) / "treaties" / f"{FILES[instrument]}.{lang}.md"


@functools.cache
def _articles(path: Path) -> dict[int, tuple[str, tuple[str, ...]]]:
    articles: dict[int, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = _ARTICLE_HEADING.match(line)
        if heading:
            current = []
            articles[int(heading.group(1))] = (heading.group(2), current)
        elif line.startswith("#"):
            current = None  # a chapter heading, the preamble or the closing formula
        elif current is not None and line.strip():
            current.append(line.strip())
    return {n: (title, tuple(lines)) for n, (title, lines) in articles.items()}


def articles(
    instrument: str, folder: Path | None = None, lang: str = "en"
) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Article number -> (title, paragraphs as the file writes them)."""
    return _articles(treaty_file(instrument, folder, lang))


def normalise(text: str, lang: str = "en") -> str:
    """The database's style in the UN's style, as the module docstring describes; one line.
    The French texts are quoted as the Swiss compilation writes them (`a)`, «…», ’): only
    their paragraphs are joined."""
    if lang != "en":
        return re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<![(\w])([a-z])\)", r"(\1)", text)
    text = re.sub(r"``(.+?)\"", r"'\1'", text)
    text = re.sub(r"“(.+?)”", r"'\1'", text)
    text = re.sub(r"(?m)^(\((?:[a-z]|[ivx]+)\))(?=\S)", r"\1 ", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_reference(reference: str) -> tuple[int, tuple[str, ...]]:
    """'art. 6(1)(b)(ii)' -> (6, ('1', 'b', 'ii')); 'Art. 3(a)' -> (3, ('a',))."""
    found = _REFERENCE.search(reference)
    if not found:
        raise ProvisionNotFoundError(f"'{reference}' does not name an article")
    parts = tuple(re.findall(r"\(([0-9a-z]+)\)", found.group(2).lower()))
    return int(found.group(1)), parts


def _label(line: str) -> str | None:
    found = re.match(r"^\(?([a-z]+)\)", line)
    return found.group(1) if found else None


def _select(lines: tuple[str, ...], part: str, roman: bool) -> tuple[str, ...]:
    """The lines of the paragraph, subparagraph or item `part`, up to its next sibling."""
    if part.isdigit():
        starts = [i for i, line in enumerate(lines) if _PARAGRAPH.match(line)]
        begin = next((i for i in starts if lines[i].startswith(f"{part}. ")), None)
        after = [i for i in starts if begin is not None and i > begin]
    else:
        if roman:
            following = ROMAN[ROMAN.index(part) + 1] if part in ROMAN[:-1] else None
        else:
            following = chr(ord(part) + 1)
        begin = next((i for i, line in enumerate(lines) if _label(line) == part), None)
        after = [
            i
            for i, line in enumerate(lines)
            if begin is not None and i > begin and following and _label(line) == following
        ]
    if begin is None:
        raise ProvisionNotFoundError(f"no ({part})")
    return lines[begin : after[0] if after else len(lines)]


def provision(instrument: str, reference: str, folder: Path | None = None, lang: str = "en") -> str:
    """The normalised text of a provision: 'art. 5' is the whole article, 'art. 6(3)' its
    paragraph 3 with the subparagraphs, 'art. 3(a)' subparagraph (a) of an article without
    numbered paragraphs, 'art. 6(1)(b)(ii)' one item."""
    number, parts = parse_reference(reference)
    texts = articles(instrument, folder, lang)
    if number not in texts:
        raise ProvisionNotFoundError(f"{instrument} has no article {number}")
    lines = texts[number][1]
    letters_seen = 0
    try:
        for part in parts:
            roman = not part.isdigit() and letters_seen > 0
            lines = _select(lines, part, roman)
            letters_seen += not part.isdigit()
    except ProvisionNotFoundError as exc:
        raise ProvisionNotFoundError(f"{instrument} {reference}: {exc}") from None
    return normalise("\n".join(lines), lang)


def fragments(quotation: str) -> list[str]:
    """The parts of a quotation between omission marks ('…' or '...'), whitespace collapsed."""
    parts = re.split(r"\s*(?:…|\.\.\.|\[\.\.\.\])\s*", quotation)
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p.strip()]


def found_in(quotation: str, text: str) -> bool:
    """True when every fragment of the quotation occurs in `text`, in order, word for word."""
    position = 0
    for fragment in fragments(quotation):
        at = text.find(fragment, position)
        if at < 0:
            return False
        position = at + len(fragment)
    return True


def is_quoted_from(instrument: str, reference: str, quotation: str, lang: str = "en") -> bool:
    """True when the quotation is word for word in the provision of the text in `lang` (after
    `normalise`)."""
    return found_in(quotation, provision(instrument, reference, lang=lang))


def excerpt(instrument: str, reference: str, start: str = "", stop: str = "") -> str:
    """A quotation copied from the provision: from the first `start` (default: the beginning)
    to the end of the first `stop` after it (default: the end). Used to write the quotations of
    `data/definitions.csv`; raises if either is missing."""
    text = provision(instrument, reference)
    begin = text.find(start) if start else 0
    if begin < 0:
        raise ProvisionNotFoundError(f"{instrument} {reference}: no '{start}'")
    end = text.find(stop, begin) + len(stop) if stop else len(text)
    if stop and end < len(stop):
        raise ProvisionNotFoundError(f"{instrument} {reference}: no '{stop}'")
    return text[begin:end]


def article_count(instrument: str, folder: Path | None = None, lang: str = "en") -> int:
    """How many numbered articles the instrument has."""
    return len(articles(instrument, folder, lang))
