"""A printable country handout for participants: the session agenda with its minutes (from
`data/session_plan.yaml`), the country's status in the three instruments, the key definitions
(quoted from `data/definitions.csv`, the child provisions and illegal entry among them), the
post-session checklist (its country-status question answered with the country's status in
words, and a line for notes) and the resource list, as one self-contained HTML file, and as PDF
when a headless Chromium is installed (no network is needed for either).

The handout speaks the current language (`workshop handout --lang`): its labels through the
catalog, its content (agenda, definitions, checklist, resources, the country's status) from the
content of that language, its dates in it, and `<html lang dir>` set from it. The PDF embeds
its fonts (DejaVu Sans, which has every Latin accent)."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import string
import subprocess
import tempfile
from pathlib import Path

from workshop_lib.dates import format_day
from workshop_lib.exercises import content
from workshop_lib.facts import loader as data
from workshop_lib.facts.session_plan import load_session_plan
from workshop_lib.facts.status import CountryStatus, InstrumentStatus, country_status
from workshop_lib.i18n.catalog import _, language
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PAPER_SIZES = {"a4": "A4", "letter": "Letter"}
PAGE_MARGIN = "18mm 16mm 20mm 16mm"

PRINT_CSS = string.Template("""
@page { size: $size; margin: $margin;
        @bottom-left { content: "$footer"; font: 8pt "DejaVu Sans", Arial, sans-serif;
                       color: #444; }
        @bottom-right { content: $page_numbers;
                        font: 8pt "DejaVu Sans", Arial, sans-serif; color: #444; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #111;
       max-width: 48rem; margin: 1.5rem auto; line-height: 1.4; }
h1 { font-size: 17pt; margin-bottom: 0.2rem; } h2 { font-size: 13pt; margin-top: 1.4rem;
     border-bottom: 1px solid #888; } .meta { color: #444; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: start; vertical-align: top;
         overflow-wrap: break-word; }
blockquote { margin: 0.4rem 0 0.8rem 0; padding: 0.3rem 0.7rem; border-inline-start: 3px solid #555;
             background: #f4f4f4; }
.source { font-size: 8.5pt; color: #444; }
.box { display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #333;
       margin-inline-end: 0.25em; }
.status-answer { margin: 0.3rem 0; padding-inline-start: 1.2rem; }
.write-line { display: block; border-bottom: 1px solid #333; height: 1.6em; margin: 0.2rem 0; }
td.minutes, th.minutes { text-align: end; white-space: nowrap; width: 7rem; }
tr, blockquote, li, .resource, .instrument { break-inside: avoid; page-break-inside: avoid; }
.instrument { margin: 0 0 0.6rem 0; } .instrument p { margin: 0.15rem 0; }
ul.addresses li { margin: 0.3rem 0; } ul.addresses a { display: inline-block; min-height: 24px;
                                                      line-height: 24px; }
h2 { break-after: avoid; page-break-after: avoid; }
.resource { margin: 0 0 0.6rem 0; padding-bottom: 0.4rem; border-bottom: 1px solid #ddd; }
.resource p { margin: 0.1rem 0; } a { color: #0b3d91; overflow-wrap: anywhere; }
@media print { body { max-width: none; margin: 0; } }
""")


def _source(text: str) -> str:
    """'Source: <text>' in the current language (escaped)."""
    return html.escape(_("Source: {source}").format(source=text))


def _definitions_html() -> str:
    open_quote, close_quote = _("“"), _("”")
    parts = []
    for row in data.load_definitions().itertuples():
        parts.append(
            f"<blockquote><strong>{html.escape(row.instrument)} {html.escape(row.article)} "
            f"({html.escape(row.term)})</strong>: {html.escape(open_quote)}"
            f"{html.escape(row.text)}{html.escape(close_quote)}"
            f'<br><span class="source">{_source(row.source)}</span></blockquote>'
        )
    return "".join(parts)


def _agenda_html() -> str:
    """The agenda items in order with their minutes (and the short version's), the total, and
    where the minutes come from."""
    plan = load_session_plan()
    rows = "".join(
        f"<tr><td>{html.escape(item.agenda_item)}</td>"
        f'<td class="minutes">{item.minutes} ({item.short_minutes})</td></tr>'
        for item in plan.items
    )
    note = _(
        "Minutes (short version in brackets) are this workshop's plan: the session description "
        "gives the agenda and its order, not its length."
    )
    item = html.escape(_("Agenda item"))
    minutes = html.escape(_("Minutes (short)"))
    total = html.escape(_("Total"))
    return (
        f'<table><thead><tr><th scope="col">{item}</th>'
        f'<th scope="col" class="minutes">{minutes}</th></tr></thead>'
        f"<tbody>{rows}</tbody><tfoot><tr><th scope='row'>{total}</th>"
        f'<td class="minutes">{plan.planned_minutes} ({plan.short_minutes})</td></tr></tfoot>'
        "</table>"
        f'<p class="source">{html.escape(note)} {_source(plan.source)}.</p>'
    )


def _instrument_words(item: InstrumentStatus) -> str:
    """One instrument's status as the country card says it, with its sources in words."""
    return _("{instrument}: {status} Source: {source}.").format(
        instrument=item.instrument_name, status=item.summary, source=item.source
    )


def _country_status_answer(status: CountryStatus) -> str:
    """The country-status question's answer: the status in words, and a line for notes."""
    lines = "".join(f"<li>{html.escape(_instrument_words(i))}</li>" for i in status.instruments)
    recorded = _("As this workshop's ratification table records it (section 2):")
    notes = _("Notes (for example, what has changed since the dates of the sources):")
    return (
        f'{html.escape(recorded)}<ul class="status-answer">{lines}</ul>{html.escape(notes)}'
        '<span class="write-line"></span><span class="write-line"></span>'
    )


def _participation_html(status: CountryStatus) -> str:
    """The country's status in the three instruments: each status in a sentence with its
    sources in words, the caveats and later facts, and then every address to check once (a
    printed page shows an address, not a link)."""
    esc = html.escape
    blocks, addresses = [], []
    for item in status.instruments:
        parts = [f"<p><strong>{esc(item.instrument_name)}</strong>: {esc(item.summary)}</p>"]
        parts.append(f'<p class="source">{_source(item.source)}.</p>')
        if item.caveat:
            parts.append(f"<p>{esc(item.caveat)}</p>")
        parts += [f"<p>{esc(str(note))}.</p>" for note in item.later_evidence]
        blocks.append(f'<div class="instrument">{"".join(parts)}</div>')
        cited = [*item.sources, *(c for note in item.later_evidence for c in note.sources)]
        for citation in cited:
            if citation.url and citation.url not in addresses:
                addresses.append(citation.url)
    links = "".join(f'<li><a href="{esc(url)}">{esc(url)}</a></li>' for url in addresses)
    where = ""
    if links:
        check = esc(_("Where to check these sources:"))
        where = f'<p>{check}</p><ul class="addresses">{links}</ul>'
    return (
        f'<h3>{esc(status.name)} (<bdi dir="ltr">{esc(status.code)}</bdi>)</h3>'
        f"{''.join(blocks)}{where}"
    )


def _checklist_html(status: CountryStatus) -> str:
    checklist = content.load_checklist()
    boxes = " ".join(f'<span class="box"></span>{html.escape(s)}' for s in checklist.scale)
    items = []
    for question in checklist.questions:
        sub = "".join(f"<li>{html.escape(i.text)}<br>{boxes}</li>" for i in question.items)
        if question.answer == "country-status":
            line = f"<br>{_country_status_answer(status)}"
        else:
            line = "" if question.items else f"<br>{boxes}"
        items.append(
            f"<li>{html.escape(question.text)}{line}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>"
        )
    return f'<ol>{"".join(items)}</ol><p class="source">{_source(checklist.source)}</p>'


def _resources_html() -> str:
    """The resources as one block each (a five-column table does not fit a portrait page);
    every address is printed once, as the link's own text."""
    blocks = []
    for row in data.load_resources().fillna("").itertuples():
        year = (
            " ("
            + html.escape(
                _("{year} in the session description").format(year=row.year_in_session_description)
            )
            + ")"
            if row.year_in_session_description
            else ""
        )
        lines = [
            f"<p><strong>{html.escape(row.title)}</strong>, {html.escape(row.publisher)}{year}</p>"
        ]
        if row.note:
            lines.append(f"<p>{html.escape(row.note)}</p>")
        if row.address:
            address = html.escape(row.address)
            lines.append(f'<p><a href="{address}">{address}</a></p>')
        blocks.append(f'<div class="resource">{"".join(lines)}</div>')
    return "".join(blocks)


def _css_string(text: str) -> str:
    """`text` as the inside of a CSS string: backslashes and quotes escaped, no line breaks."""
    return " ".join(text.replace("\\", "\\\\").replace('"', '\\"').split())


def _page_numbers() -> str:
    """The CSS `content` of the page number ('Page 2 of 5' in the current language)."""
    parts = re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}"))
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    quoted = (p.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") for p in parts)
    return " ".join(counters.get(p) or f'"{q}"' for p, q in zip(parts, quoted, strict=True) if p)


def _section(number: int, heading: str, body: str) -> str:
    return f"<section><h2>{number}. {html.escape(heading)}</h2>{body}</section>"


def render_handout(country: str, paper: str = "a4") -> str:
    """The handout for `country` as one HTML page for A4 or Letter paper, with the date and
    page numbers on every printed page, in the current language (raises UnknownCountryError)."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"Unknown paper size '{paper}': choose a4 or letter.")
    status = country_status(country)
    today = format_day(dt.date.today())
    title = _(
        "The international framework against trafficking in persons and smuggling of "
        "migrants: {country}"
    ).format(country=status.name)
    footer = _css_string(
        _("{country} handout, printed {date}").format(country=status.name, date=today)
    )
    css = PRINT_CSS.substitute(
        size=PAPER_SIZES[paper], margin=PAGE_MARGIN, footer=footer, page_numbers=_page_numbers()
    )
    meta = _("Workshop handout, UNODC Session 2 materials. Printed {date}.").format(date=today)
    page = LANGUAGES[language()]
    return (
        f"<!DOCTYPE html><html lang='{page.code}' dir='{page.direction}'><head>"
        "<meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{css}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="meta">{html.escape(meta)}</p>'
        + _section(1, _("Session agenda"), _agenda_html())
        + _section(2, _("Participation in UNTOC and its Protocols"), _participation_html(status))
        + _section(3, _("Key definitions"), _definitions_html())
        + _section(4, _("Post-session checklist"), _checklist_html(status))
        + _section(5, _("Key resource material"), _resources_html())
        + "</body></html>"
    )


def find_chromium() -> str | None:
    """The path of a headless-capable Chromium, if one is installed."""
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


def print_pdf(html_file: Path, pdf_file: Path, chromium: str) -> None:
    """Print `html_file` to `pdf_file` with headless Chromium (offline)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf_file}",
                html_file.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def write_handout(country: str, out_dir: Path, paper: str = "a4") -> list[Path]:
    """Write the HTML handout (and the PDF when Chromium is available) for A4 or Letter
    paper, in the current language; return the files (`handout-KEN.html` in English,
    `handout-KEN-fr.html` in French, `-letter` before the language for Letter paper)."""
    status = country_status(country)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = "" if paper == "a4" else f"-{paper}"
    if language() != DEFAULT:
        suffix += f"-{language()}"
    html_file = out_dir / f"handout-{status.code}{suffix}.html"
    html_file.write_text(render_handout(country, paper), encoding="utf-8")
    written = [html_file]
    chromium = find_chromium()
    if chromium:
        pdf_file = html_file.with_suffix(".pdf")
        print_pdf(html_file, pdf_file, chromium)
        written.append(pdf_file)
    return written
