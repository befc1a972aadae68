"""Every quotation of UNTOC, the TIP Protocol or the SOM Protocol is word for word in the treaty
text (`data/treaties/`), and every count of articles is the treaty's own.

A quotation is recognised in the notebooks' Markdown (blockquote markers removed) as an article
marker followed by a double-quoted passage: `Art. 3(a): "..."`, `(art. 1): "..."`,
`TIP Protocol art. 1(3): "..."` or `Art. 3(1): the Convention applies "..."`. A marker that does
not name its instrument takes it from the nearest heading above that names one (the notebooks
present one instrument per section). Both sides pass through `treaty_texts.normalise`, the one
documented function that turns the database's style into the UN's; nothing else is tidied.
"""

from __future__ import annotations

import csv
import re

import nbformat
import pytest

from tests.conftest import NOTEBOOKS
from workshop_lib import treaty_texts
from workshop_lib.paths import data_dir

COUNTS = {"UNTOC": 41, "TIP": 20, "SOM": 25}
NAMES = {
    "UNTOC": ("Convention", "UNTOC"),
    "TIP": ("Trafficking in Persons Protocol", "TIP Protocol"),
    "SOM": ("Smuggling of Migrants Protocol", "SOM Protocol"),
}
MARKER = re.compile(
    r"(?:\b(?P<instrument>UNTOC|TIP Protocol|SOM Protocol|TIP|SOM)\s+)?\(?"
    r"(?P<reference>[Aa]rt\.\s*\d+(?:\([0-9a-z]+\))*)\)?:\s*(?P<lead>(?:(?![Aa]rt\.)[^\"\n]){0,60}?)"
    r"\"(?P<quote>[^\"]+)\""
)
PREFIX = {
    "UNTOC": "UNTOC",
    "TIP Protocol": "TIP",
    "TIP": "TIP",
    "SOM Protocol": "SOM",
    "SOM": "SOM",
}


def _flat(text: str) -> str:
    return re.sub(r"[ \t]+", " ", re.sub(r"(?m)^\s*>\s?", "", text))


def _heading_instrument(line: str, names: dict = NAMES) -> str | None:
    named = [i for i, words in names.items() if any(n in line for n in words)]
    if len(named) == 1:
        return named[0]
    if "Protocols" in line and "Convention" in line:
        return "UNTOC"
    return None


def notebook_quotations(
    path, names: dict = NAMES, prefixes: dict = ()
) -> list[tuple[str, str, str, str]]:
    """(cell id, instrument, reference, quotation) for every article-marked quotation; `names`
    are the instruments' names as the notebook's headings write them, `prefixes` another
    language's names before an article marker, with the prefix they stand for ('TIP')."""
    found = []
    context = None
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                context = _heading_instrument(line, names) or context
        text = _flat(cell.source).replace("\n", " ")
        for name, prefix in dict(prefixes).items():
            text = text.replace(f"{name}, art.", f"{prefix} art.")
        for match in MARKER.finditer(text):
            instrument = PREFIX.get(match.group("instrument") or "", context)
            reference, quote = match.group("reference"), match.group("quote")
            found.append((cell.get("id", "?"), instrument, reference, quote))
    return found


QUOTED = [(path.stem, *q) for path in NOTEBOOKS for q in notebook_quotations(path)]


def _definitions() -> list[dict]:
    with (data_dir() / "definitions.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# The texts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("instrument", list(COUNTS))
def test_each_text_is_complete_and_keeps_its_provenance(instrument):
    path = treaty_texts.treaty_file(instrument)
    head = path.read_text(encoding="utf-8").splitlines()[:7]
    assert head[0] == "source_repo: statengeneraal/laws-markdown"
    assert any(line.startswith("source_commit: ") for line in head)
    assert any(line.startswith("adopted: General Assembly resolution 55/25") for line in head)
    articles = treaty_texts.articles(instrument)
    assert sorted(articles) == list(range(1, COUNTS[instrument] + 1))
    assert treaty_texts.article_count(instrument) == COUNTS[instrument]


def test_normalise_changes_labels_quotes_and_spaces_but_no_word():
    raw = 'b)``Illegal entry" shall mean, in paragraph 1 a), b) (i) or c)\n(i)That “term”'
    assert treaty_texts.normalise(raw) == (
        "(b) 'Illegal entry' shall mean, in paragraph 1 (a), (b) (i) or (c) (i) That 'term'"
    )
    for instrument in COUNTS:
        text = treaty_texts.treaty_file(instrument).read_text(encoding="utf-8")
        body = text.split("\n\n", 1)[1]
        assert re.findall(r"[A-Za-z]{2,}", treaty_texts.normalise(body)) == re.findall(
            r"[A-Za-z]{2,}", body
        ), instrument


def test_provisions_are_found_by_reference():
    assert treaty_texts.provision("TIP", "art. 3(d)") == (
        "(d) 'Child' shall mean any person under eighteen years of age."
    )
    assert treaty_texts.provision("SOM", "art. 6(1)(b)(ii)") == (
        "(ii) Procuring, providing or possessing such a document;"
    )
    assert treaty_texts.provision("UNTOC", "art. 34(2)").startswith("2. The offences established")
    with pytest.raises(treaty_texts.ProvisionNotFoundError):
        treaty_texts.provision("TIP", "art. 3(e)")
    with pytest.raises(treaty_texts.ProvisionNotFoundError):
        treaty_texts.provision("TIP", "art. 21")


# Quotations ----------------------------------------------------------------------------------


@pytest.mark.parametrize("row", _definitions(), ids=lambda r: f"{r['instrument']} {r['article']}")
def test_every_definition_is_quoted_word_for_word(row):
    assert treaty_texts.is_quoted_from(row["instrument"], row["article"], row["text"]), (
        f"{row['instrument']} {row['article']} is not word for word in "
        f"{treaty_texts.treaty_file(row['instrument']).name}"
    )
    assert row["article"] in row["source"] and "A/RES/55/25" in row["source"]


def test_definitions_include_the_child_and_smuggling_terms_and_whole_article_6_3():
    rows = {(r["instrument"], r["article"]): r["text"] for r in _definitions()}
    for key in [("TIP", f"art. 3({x})") for x in "abcd"] + [("SOM", f"art. 3({x})") for x in "abc"]:
        assert key in rows, key
    assert rows[("SOM", "art. 6(3)")].startswith("Each State Party shall adopt")
    assert rows[("SOM", "art. 6(3)")].endswith("including for exploitation, of such migrants.")


def test_notebooks_quote_enough_to_be_checked():
    by_notebook = {}
    for stem, *_ in QUOTED:
        by_notebook[stem] = by_notebook.get(stem, 0) + 1
    assert by_notebook.get("01_untoc_and_protocols", 0) >= 20


@pytest.mark.parametrize(("notebook", "cell", "instrument", "reference", "quote"), QUOTED)
def test_every_notebook_quotation_is_word_for_word(notebook, cell, instrument, reference, quote):
    assert instrument, f"{notebook} cell {cell}: name the instrument of the quotation {reference}"
    assert treaty_texts.is_quoted_from(instrument, reference, quote), (
        f"{notebook} cell {cell}: {instrument} {reference} is not quoted word for word: {quote!r}"
    )


# Counts and known errors ---------------------------------------------------------------------


def _markdown(path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_article_counts_in_notebooks_are_the_treaties_own(path):
    text = _markdown(path)
    assert "30 articles" not in text
    for number in re.findall(r"(\d+) articles\b", text):
        assert int(number) in COUNTS.values(), f"{path.stem}: '{number} articles'"


def test_notebook_01_states_each_instruments_article_count():
    text = re.sub(r"\s+", " ", _markdown(NOTEBOOKS[1]))
    assert "41 articles and no preamble" in text
    assert "a preamble and 20 articles" in text
    assert "a preamble and 25 articles" in text
