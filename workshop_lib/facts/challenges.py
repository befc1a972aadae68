"""The common implementation challenges of the session (`data/challenges.yaml`): for each of the
six areas of the session description, and for the non-punishment principle and national referral
mechanisms, what the instruments require article by article (with the strength of each duty),
what goes wrong in practice, real cases, scenarios, and a question for discussion; and, for the
trainer only, a model answer and the misconceptions to expect.

The file is validated on load: every item carries a source, every area has obligations with
articles, a finding with a figure and a case with its court and year, and every scenario it
names exists. A section renders as HTML in JupyterLab and in exported HTML, and as plain text
elsewhere (nbval compares that text).
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator

from workshop_lib.errors import WorkshopError
from workshop_lib.messages import Message
from workshop_lib.paths import data_dir
from workshop_lib.yaml_files import StrictModel, read_yaml_model

__all__ = [
    "AREA_IDS",
    "Challenges",
    "ChallengesError",
    "SectionView",
    "TrainerNotesView",
    "challenge_area",
    "challenge_trainer_notes",
    "load_challenges",
]

# The six challenge areas, in the order of the session description.
AREA_IDS = (
    "legal-concepts",
    "criminal-justice-capacity",
    "awareness-raising",
    "identification-and-referral",
    "protection-and-assistance",
    "cooperation-and-coordination",
)
DUTY_WORDS = {
    "shall": "shall: a duty",
    "shall consider": "shall consider: a duty to consider, not to adopt",
    "shall endeavour": "shall endeavour: a duty to try",
    "may": "may: allowed, not required",
    "non-binding": "non-binding: a recommendation",
}
CRIME_HEADINGS = {
    "trafficking": "Trafficking in persons",
    "smuggling": "Smuggling of migrants",
    "both": "Both crimes",
}
KIND_NOTES = {
    "primary": "",
    "primary copy": "official text, third-party copy",
    "secondary": "secondary source",
}
SCENARIO_SET = "tip-or-som"

Crime = Literal["trafficking", "smuggling", "both"]
SourceKind = Literal["primary", "primary copy", "secondary"]


class ChallengesError(WorkshopError, ValueError):
    """The challenges file is missing, unreadable or breaks a rule."""


class Obligation(StrictModel):
    instrument: str
    article: str
    crime: Crime
    duty: Literal["shall", "shall consider", "shall endeavour", "may", "non-binding"]
    summary: str
    source: str
    quote: str | None = None  # the treaty's words, exactly
    qualifier: str | None = None  # limits written into the duty
    source_kind: SourceKind = "primary"
    url: str | None = None

    @field_validator("article")
    @classmethod
    def _names_an_article(cls, value: str) -> str:
        if not any(word in value for word in ("art.", "Guideline", "recommendation")):
            raise ValueError("must name the article (e.g. 'art. 6(6)')")
        return value


class Finding(StrictModel):
    crime: Crime
    text: str
    source: str
    figure: str | None = None
    source_kind: SourceKind = "primary"
    url: str | None = None


class Case(StrictModel):
    crime: Crime
    name: str
    country: str
    court: str
    year: int
    facts: str
    point: str
    source: str
    source_kind: SourceKind = "primary"
    url: str | None = None

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, value: int) -> int:
        if not 1990 <= value <= 2100:
            raise ValueError("must be a year between 1990 and 2100")
        return value


class Misconception(StrictModel):
    claim: str
    answer: str
    source: str


class Section(StrictModel):
    id: str
    kind: Literal["area", "topic"]
    title: str
    summary: str
    obligations: tuple[Obligation, ...]
    findings: tuple[Finding, ...]
    cases: tuple[Case, ...]
    scenarios: tuple[str, ...]
    question: str
    model_answer: str
    misconceptions: tuple[Misconception, ...]

    @model_validator(mode="after")
    def _complete(self):
        if not self.obligations or not self.findings or not self.misconceptions:
            raise ValueError(f"section {self.id}: needs obligations, findings and misconceptions")
        if self.kind == "area":
            if not any(f.figure for f in self.findings):
                raise ValueError(f"area {self.id}: needs a finding with a figure")
            if not self.cases or not self.scenarios:
                raise ValueError(f"area {self.id}: needs at least one case and one scenario")
            crimes = {o.crime for o in self.obligations}
            if not all(c in crimes or "both" in crimes for c in ("trafficking", "smuggling")):
                raise ValueError(f"area {self.id}: needs obligations for both crimes")
        if not any(item.source_kind == "primary" for item in (*self.obligations, *self.findings)):
            raise ValueError(f"section {self.id}: needs at least one primary source")
        return self


class Challenges(StrictModel):
    title: str
    source: str
    sections: tuple[Section, ...]

    @model_validator(mode="after")
    def _the_six_areas_in_order(self):
        areas = tuple(s.id for s in self.sections if s.kind == "area")
        if areas != AREA_IDS:
            raise ValueError(f"the areas must be exactly {list(AREA_IDS)}, in that order")
        ids = [s.id for s in self.sections]
        if len(ids) != len(set(ids)):
            raise ValueError("section ids repeat")
        return self

    def section(self, section_id: str) -> Section:
        """One section by its id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        known = ", ".join(s.id for s in self.sections)
        raise ChallengesError(
            f"There is no challenge section called '{section_id}'. Known: {known}."
        )


def _path() -> Path:
    return data_dir() / "challenges.yaml"


@functools.cache
def _read(path: Path) -> Challenges:
    challenges = read_yaml_model(path, Challenges, ChallengesError, "challenges file")
    _check_scenarios(challenges)
    return challenges


def _check_scenarios(challenges: Challenges) -> None:
    from workshop_lib.exercises import content  # the exercise content, loaded only to check ids

    known = {s.id for s in content.load_scenarios(SCENARIO_SET).scenarios}
    for section in challenges.sections:
        missing = [s for s in section.scenarios if s not in known]
        if missing:
            raise ChallengesError(
                f"challenges.yaml: section {section.id} names unknown scenarios {missing}"
            )


def load_challenges() -> Challenges:
    """Every section of `data/challenges.yaml`, validated."""
    return _read(_path())


# Rendering --------------------------------------------------------------------------------------

e = html.escape


def _scenario_titles(section: Section) -> list[str]:
    from workshop_lib.exercises import content

    return [content.load_scenario(SCENARIO_SET, s).title for s in section.scenarios]


def _kind_note(kind: str) -> str:
    note = KIND_NOTES[kind]
    return f" [{note}]" if note else ""


def _by_crime(items):
    for crime, heading in CRIME_HEADINGS.items():
        chosen = [i for i in items if i.crime == crime]
        if chosen:
            yield heading, chosen


def _source_html(source: str, kind: str) -> str:
    note = KIND_NOTES[kind]
    flag = f" <strong>({e(note)})</strong>" if note else ""
    return f"<br><small>Source: {e(source)}{flag}</small>"


class SectionView:
    """One challenge area or topic, for participants (no model answer). The HTML shows
    everything; the plain text (for nbval and text-only readers) lists the provisions with their
    duties, the figures, the cases and the question."""

    def __init__(self, section: Section):
        self.section = section

    def __repr__(self) -> str:
        s = self.section
        out = [s.title, "What the instruments require:"]
        for heading, obligations in _by_crime(s.obligations):
            provisions = "; ".join(f"{o.instrument} {o.article} ({o.duty})" for o in obligations)
            out.append(f"- {heading}: {provisions}")
        out.append("What goes wrong in practice:")
        out += [f"- {f.figure} ({f.source})" for f in s.findings if f.figure]
        if s.cases:
            out.append("Cases:")
            out += [f"- {c.name} ({c.country}; {c.court}; {c.year})" for c in s.cases]
        titles = _scenario_titles(s)
        if titles:
            out.append("Scenarios below (invented for training): " + "; ".join(titles))
        out.append(f"For discussion: {s.question}")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        s = self.section
        parts = [
            f'<div class="workshop-challenge" id="challenge-{e(s.id)}">'
            "<style>.workshop-challenge td{vertical-align:top;text-align:left}</style>",
            f"<h3>{e(s.title)}</h3><p>{e(s.summary)}</p>",
            "<h4>What the instruments require</h4>",
        ]
        for heading, obligations in _by_crime(s.obligations):
            rows = []
            for o in obligations:
                limits = f"<br><small>{e(o.qualifier)}</small>" if o.qualifier else ""
                quote = (
                    f'<blockquote style="margin:0.25em 0 0.25em 1em">“{e(o.quote)}”</blockquote>'
                    if o.quote
                    else ""
                )
                rows.append(
                    f"<tr><td>{e(o.instrument)}, {e(o.article)}</td>"
                    f"<td><strong>{e(o.duty)}</strong>{limits}</td>"
                    f"<td>{quote}{e(o.summary)}"
                    f"{_source_html(o.source, o.source_kind)}</td></tr>"
                )
            parts.append(
                f"<h5>{e(heading)}</h5><table><thead><tr><th>Provision</th><th>Duty</th>"
                f"<th>What it requires</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            )
        parts.append("<h4>What goes wrong in practice</h4>")
        for heading, findings in _by_crime(s.findings):
            items = "".join(
                f"<li>{f'<strong>{e(f.figure)}.</strong> ' if f.figure else ''}{e(f.text)}"
                f"{_source_html(f.source, f.source_kind)}</li>"
                for f in findings
            )
            parts.append(f"<h5>{e(heading)}</h5><ul>{items}</ul>")
        if s.cases:
            items = "".join(
                f"<li><strong>{e(c.name)}</strong> ({e(c.country)}; {e(c.court)}; {c.year}). "
                f"{e(c.facts)}<br><em>What it teaches:</em> {e(c.point)}"
                f"{_source_html(c.source, c.source_kind)}</li>"
                for c in s.cases
            )
            parts.append(f"<h4>Cases</h4><ul>{items}</ul>")
        titles = _scenario_titles(s)
        if titles:
            parts.append(
                f"<p><em>Scenarios below (invented for training):</em> {e('; '.join(titles))}</p>"
            )
        parts.append(f"<h4>For discussion</h4><p>{e(s.question)}</p></div>")
        return "".join(parts)


class TrainerNotesView:
    """The trainer's part of a section: the question, a model answer, misconceptions."""

    def __init__(self, section: Section):
        self.section = section

    def __repr__(self) -> str:
        s = self.section
        return (
            f"Trainer notes: {s.title}. The model answer and {len(s.misconceptions)} "
            "misconceptions to expect are in the HTML output."
        )

    def _repr_html_(self) -> str:
        s = self.section
        items = "".join(
            f"<li><strong>“{e(m.claim)}”</strong> {e(m.answer)} <em>({e(m.source)})</em></li>"
            for m in s.misconceptions
        )
        return (
            f'<div class="workshop-trainer-notes"><h4>Trainer notes: {e(s.title)}</h4>'
            f"<p><strong>Model answer.</strong> {e(s.model_answer)}</p>"
            f"<p><strong>Misconceptions to expect, and how to answer them</strong></p>"
            f"<ul>{items}</ul></div>"
        )


def _view(build, section_id: str):
    try:
        return build(load_challenges().section(section_id))
    except ChallengesError as exc:
        return Message(f"This section could not be loaded: {exc}")


def challenge_area(section_id: str) -> SectionView | Message:
    """A challenge area or topic of `data/challenges.yaml`, for participants."""
    return _view(SectionView, section_id)


def challenge_trainer_notes(section_id: str) -> TrainerNotesView | Message:
    """The model answer and misconceptions of a section, for a cell tagged `trainer`."""
    return _view(TrainerNotesView, section_id)
