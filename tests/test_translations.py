"""Every language but English is complete and faithful to the English content.

- Content: each translatable file of `data/` has its mirror in `data/<lang>/` with the same
  structure, the same ids and the same machine values; only text differs, and no text is empty.
  A missing or extra item fails with its id.
- Treaty text: every French quotation (definitions, challenge areas, notebooks) is word for word
  in the authentic French text kept in `data/treaties/*.fr.md`.
- Notebooks: every markdown cell of every English notebook has its text, and the committed
  notebooks in `notebooks/<lang>/` are the ones the build makes from them.
- Interface: every string the code marks for translation has its translation in the catalog,
  with the same placeholders, and the compiled catalog is the one the `.po` file gives.
"""

from __future__ import annotations

import csv
import gettext
import re
import string
from pathlib import Path

import nbformat
import pytest
import yaml
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.test_treaty_texts import notebook_quotations
from workshop_lib import treaty_texts
from workshop_lib.i18n import catalog
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES
from workshop_lib.i18n.notebooks import notebook_folder, text_file, translate_notebook
from workshop_lib.paths import PACKAGE_DIR, data_dir, notebooks_dir

TRANSLATED = [code for code in LANGUAGES if code != DEFAULT]

# Per file: the keys (YAML) or columns (CSV) that hold text to translate. Everything else is an
# id or a machine value and must equal the English. Any string below `element_notes` is text.
SOURCES = ("source",)
YAML_TEXT = {
    "challenges.yaml": {
        *SOURCES,
        *("title", "summary", "text", "qualifier", "figure", "country", "court", "facts"),
        *("point", "question", "model_answer", "claim", "answer", "quote"),
    },
    "session_plan.yaml": {*SOURCES, "title", "length_note", "agenda_item", "what", "when_short"},
    "exercises/checklist.yaml": {*SOURCES, "title", "scale", "text"},
    "exercises/knowledge-check.yaml": {*SOURCES, "title", "question", "text", "explanation"},
    "exercises/prompts.yaml": {*SOURCES, "prompt"},
    "exercises/polls.yaml": {*SOURCES, "question", "options"},
    "exercises/quizzes/untoc-basics.yaml": {*SOURCES, "title", "question", "text", "explanation"},
    "exercises/quizzes/challenges-and-developments.yaml": {
        *SOURCES,
        *("title", "question", "text", "explanation"),
    },
    "exercises/scenarios/tip-or-som.yaml": {*SOURCES, "title", "facts", "teaching_point"},
}
CSV_TEXT = {
    "definitions.csv": {"term", "text", "source"},
    "developments.csv": {"label", "title", "symbol_note", "adopted_how", "source"},
    "instruments.csv": {"short_name", "title", "source"},
    "regional_instruments.csv": {"region", "instrument", "monitoring", "note", "source"},
    "resources.csv": {"title", "publisher", "note", "source"},
    "ratification_evidence.csv": {"reader_text", "note"},
}
FREE_TEXT_BELOW = "element_notes"
# How the French headings of the notebooks name the instruments (for quotations without one).
FRENCH_NAMES = {
    "UNTOC": ("Convention", "CNUCTO"),
    "TIP": ("Protocole relatif à la traite", "La traite des personnes"),
    "SOM": ("Protocole relatif au trafic", "trafic illicite de migrants"),
}
FRENCH_PREFIXES = {
    "Protocole relatif à la traite des personnes": "TIP",
    "Protocole relatif au trafic illicite de migrants": "SOM",
    "CNUCTO": "UNTOC",
    "Convention": "UNTOC",
}
TREATIES = {"UNTOC": "UNTOC", "TIP Protocol": "TIP", "SOM Protocol": "SOM"}


def _mirror_differences(english, translated, text_keys, where="", free=False) -> list[str]:
    """Where `translated` is not `english` with only its text translated (paths name ids)."""
    if isinstance(english, dict):
        if not isinstance(translated, dict):
            return [f"{where}: not a mapping"]
        problems = [f"{where}: missing '{k}'" for k in english if k not in translated]
        problems += [f"{where}: extra '{k}'" for k in translated if k not in english]
        label = f"{where}/{english['id']}" if "id" in english else where
        for key in english.keys() & translated.keys():
            text = free or key in text_keys or key == FREE_TEXT_BELOW
            problems += _mirror_differences(
                english[key], translated[key], text_keys, f"{label}.{key}", text
            )
        return problems
    if isinstance(english, list):
        if not isinstance(translated, list) or len(translated) != len(english):
            return [f"{where}: {len(english)} items in English, not the same in translation"]
        problems = []
        for index, (a, b) in enumerate(zip(english, translated, strict=True)):
            problems += _mirror_differences(a, b, text_keys, f"{where}[{index}]", free)
        return problems
    if free and isinstance(english, str):
        return (
            []
            if (translated or not english) and isinstance(translated, str)
            else [f"{where}: no translation"]
        )
    return [] if english == translated else [f"{where}: {translated!r} is not {english!r}"]


def _csv_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("relative", list(YAML_TEXT))
def test_each_content_file_is_translated_item_by_item(code, relative):
    english_path, translated_path = data_dir() / relative, data_dir() / code / relative
    assert translated_path.exists(), f"no {code} version of data/{relative}"
    english = yaml.safe_load(english_path.read_text(encoding="utf-8"))
    translated = yaml.safe_load(translated_path.read_text(encoding="utf-8"))
    problems = _mirror_differences(english, translated, YAML_TEXT[relative], relative)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("name", list(CSV_TEXT))
def test_each_fact_table_is_translated_row_by_row(code, name):
    header, english = _csv_rows(data_dir() / name)
    translated_header, translated = _csv_rows(data_dir() / code / name)
    assert translated_header == header
    assert len(translated) == len(english), f"{name}: {len(translated)} rows, not {len(english)}"
    problems = []
    for number, (a, b) in enumerate(zip(english, translated, strict=True), start=2):
        for column in header:
            if column in CSV_TEXT[name]:
                if a[column] and not b[column]:
                    problems.append(f"{name}, line {number}: no translation of {column}")
            elif a[column] != b[column]:
                problems.append(f"{name}, line {number}: {column} differs from the English")
    assert not problems, "\n".join(problems)


def test_each_language_is_listed_with_its_direction_and_jupyterlab_locale():
    assert DEFAULT in LANGUAGES and TRANSLATED
    for code, language in LANGUAGES.items():
        assert re.fullmatch(r"[a-z]{2}", code) and language.direction in ("ltr", "rtl"), code
        assert language.lab_locale.split("_")[0] == code, code


def test_a_missing_item_fails_with_its_id():
    english = {"items": [{"id": "q1", "question": "A?"}, {"id": "q2", "question": "B?"}]}
    translated = {"items": [{"id": "q1", "question": "A ?"}, {"id": "q2", "question": ""}]}
    problems = _mirror_differences(english, translated, {"question"}, "quiz")
    assert problems == ["quiz.items[1]/q2.question: no translation"]
    changed = {"items": [{"id": "q1", "question": "A ?"}, {"id": "q3", "question": "B ?"}]}
    assert _mirror_differences(english, changed, {"question"}, "quiz") == [
        "quiz.items[1]/q2.id: 'q3' is not 'q2'"
    ]


# Treaty text ---------------------------------------------------------------------------------


def test_the_french_texts_are_complete():
    for instrument, count in {"UNTOC": 41, "TIP": 20, "SOM": 25}.items():
        articles = treaty_texts.articles(instrument, lang="fr")
        assert sorted(articles) == list(range(1, count + 1)), instrument


@pytest.mark.parametrize(
    "row", _csv_rows(data_dir() / "fr" / "definitions.csv")[1], ids=lambda r: r["article"]
)
def test_every_french_definition_is_the_authentic_french_text(row):
    assert treaty_texts.is_quoted_from(row["instrument"], row["article"], row["text"], "fr"), (
        f"{row['instrument']} {row['article']} is not word for word in "
        f"{treaty_texts.treaty_file(row['instrument'], lang='fr').name}"
    )


def _french_obligations():
    sections = yaml.safe_load((data_dir() / "fr" / "challenges.yaml").read_text("utf-8"))
    for section in sections["sections"]:
        for obligation in section.get("obligations", []):
            if obligation.get("quote") and obligation["instrument"] in TREATIES:
                yield section["id"], obligation


@pytest.mark.parametrize(
    ("area", "obligation"), list(_french_obligations()), ids=lambda x: str(x)[:40]
)
def test_every_french_treaty_quotation_in_the_challenge_areas_is_authentic(area, obligation):
    instrument = TREATIES[obligation["instrument"]]
    for reference in re.findall(r"art\.\s*\d+(?:\([0-9a-z]+\))*", obligation["article"]):
        if treaty_texts.is_quoted_from(instrument, reference, obligation["quote"], "fr"):
            return
    pytest.fail(f"{area}: {instrument} {obligation['article']} is not quoted word for word")


FRENCH_QUOTED = [
    (path.stem, *q)
    for path in sorted(notebook_folder("fr").glob("[0-9]*.ipynb"))
    for q in notebook_quotations(path, FRENCH_NAMES, FRENCH_PREFIXES)
]


def test_the_french_notebooks_quote_the_definitions():
    assert len(FRENCH_QUOTED) >= 20


@pytest.mark.parametrize(("notebook", "cell", "instrument", "reference", "quote"), FRENCH_QUOTED)
def test_every_french_notebook_quotation_is_authentic(notebook, cell, instrument, reference, quote):
    assert instrument, f"{notebook} cell {cell}: no instrument for {reference}"
    assert treaty_texts.is_quoted_from(instrument, reference, quote, "fr"), (
        f"{notebook} cell {cell}: {instrument} {reference} is not word for word: {quote[:80]}"
    )


# Notebooks -----------------------------------------------------------------------------------

ENGLISH_NOTEBOOKS = sorted(notebooks_dir().glob("[0-9]*.ipynb"))


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("english", ENGLISH_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_cell_has_its_translation_and_the_built_notebook_is_current(code, english):
    assert text_file(english.stem, code).exists(), f"no {code} text for {english.name}"
    built = translate_notebook(english, code)  # raises naming the cells without text
    committed = nbformat.read(notebook_folder(code) / english.name, as_version=4)
    assert [(c.id, c.cell_type, c.source) for c in committed.cells] == [
        (c.id, c.cell_type, c.source) for c in built.cells
    ], f"notebooks/{code}/{english.name} is out of date: python -m workshop_lib.i18n.notebooks"
    parameters = next(c for c in committed.cells if "parameters" in c.metadata.get("tags", []))
    assert f'lang = "{code}"' in parameters.source


# Interface strings ---------------------------------------------------------------------------


def _code_messages() -> dict[str, str | None]:
    """Every msgid the code marks (singular -> plural or None), as `make translations` finds."""
    found = {}
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE_DIR), method_map=[("**.py", "python")], keywords=keywords
    ):
        if isinstance(message, tuple):
            found[message[0]] = message[1]
        else:
            found[message] = None
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_interface_string_has_its_translation(code):
    po_file = catalog.LOCALE_DIR / code / "LC_MESSAGES" / f"{catalog.DOMAIN}.po"
    with po_file.open("rb") as fh:
        po = read_po(fh)
    messages = _code_messages()
    assert len(messages) > 150  # the interface is marked, not only a handful of strings
    missing, broken = [], []
    for msgid in messages:
        entry = po.get(msgid)
        strings = entry.string if entry is not None else None
        forms = strings if isinstance(strings, tuple) else (strings,)
        if entry is None or entry.fuzzy or not all(forms):
            missing.append(msgid)
            continue
        if any(_fields(form) != _fields(msgid) for form in forms):
            broken.append(msgid)
    assert not missing, f"{len(missing)} strings without {code}: " + " | ".join(missing[:20])
    assert not broken, "placeholders differ: " + " | ".join(broken[:20])


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalog_is_the_po_file(code):
    folder = catalog.LOCALE_DIR / code / "LC_MESSAGES"
    with (folder / f"{catalog.DOMAIN}.po").open("rb") as fh:
        po = read_po(fh)
    with (folder / f"{catalog.DOMAIN}.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for entry in po:
        if not entry.id or entry.fuzzy:
            continue
        if isinstance(entry.id, tuple):
            assert compiled.ngettext(entry.id[0], entry.id[1], 1) == entry.string[0], entry.id
        else:
            assert compiled.gettext(entry.id) == entry.string, f"make translations: {entry.id}"
