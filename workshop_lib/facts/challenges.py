"""The common implementation challenges of the session (`data/challenges.yaml`): for each of the
six areas of the session description, and for the non-punishment principle and national referral
mechanisms, what the instruments require article by article (with the strength of each duty),
what goes wrong in practice, real cases, scenarios, and a question for discussion; and, for the
trainer only, a model answer and the misconceptions to expect.

The file is validated on load: every item carries a source, every area has obligations with
articles, a finding with a figure and a case with its court and year, and every scenario it
names exists. A section renders as HTML in JupyterLab and in exported HTML, and as plain text
elsewhere (nbval compares that text).

The sections are read in the current language (`data/<code>/challenges.yaml`, same ids, same
duty ids); the labels, the duty words ("shall" is « adopte » in French) and the main instruments'
names are shown in that language.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Literal

from pydantic import field_validator, model_validator

from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_, _, ngettext
from workshop_lib.i18n.localized import localized
from workshop_lib.messages import Message
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
# The strength of a duty as shown (the key is the stored duty id, written as English treaties
# word it; French treaties use the verb: « adopte », « envisage », « s’efforce », « peut »).
DUTY_LABELS = {
    "shall": N_("shall"),
    "shall consider": N_("shall consider"),
    "shall endeavour": N_("shall endeavour"),
    "may": N_("may"),
    "non-binding": N_("non-binding"),
}
DUTY_WORDS = {
    "shall": N_("shall: a duty"),
    "shall consider": N_("shall consider: a duty to consider, not to adopt"),
    "shall endeavour": N_("shall endeavour: a duty to try"),
    "may": N_("may: allowed, not required"),
    "non-binding": N_("non-binding: a recommendation"),
}
CRIME_HEADINGS = {
    "trafficking": N_("Trafficking in persons"),
    "smuggling": N_("Smuggling of migrants"),
    "both": N_("Both crimes"),
}
KIND_NOTES = {
    "primary": "",
    "primary copy": N_("official text, third-party copy"),
    "secondary": N_("secondary source"),
}
# The instruments an obligation names, as the reader's language names them (the stored name is
# the key; an instrument without an official name in that language keeps its own).
INSTRUMENT_NAMES = frozenset(
    {
        N_("UNTOC"),
        N_("TIP Protocol"),
        N_("SOM Protocol"),
        N_("Conference of the Parties to UNTOC, Working Group on Trafficking in Persons"),
        N_("Directive 2011/36/EU (European Union)"),
        N_("OHCHR Recommended Principles and Guidelines on Human Rights and Human Trafficking"),
    }
)
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
            _("There is no challenge section called '{section}'. Known: {known}.").format(
                section=section_id, known=known
            )
        )


def _path() -> Path:
    """The challenges file in the current language (one cache entry per file)."""
    return localized("challenges.yaml")


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
    """Every section of `data/challenges.yaml` (in the current language), validated."""
    return _read(_path())


# Rendering --------------------------------------------------------------------------------------

e = html.escape


def _scenario_titles(section: Section) -> list[str]:
    from workshop_lib.exercises import content

    return [content.load_scenario(SCENARIO_SET, s).title for s in section.scenarios]


def _kind_note(kind: str) -> str:
    note = KIND_NOTES[kind]
    return f" [{_(note)}]" if note else ""


def _by_crime(items):
    for crime, heading in CRIME_HEADINGS.items():
        chosen = [i for i in items if i.crime == crime]
        if chosen:
            yield _(heading), chosen


def duty_label(duty: str) -> str:
    """A duty ('shall consider') as shown in the current language."""
    return _(DUTY_LABELS[duty])


def instrument_name(instrument: str) -> str:
    """An instrument named by an obligation, in the current language where it has a name."""
    return _(instrument) if instrument in INSTRUMENT_NAMES else instrument


def _source_html(source: str, kind: str) -> str:
    note = KIND_NOTES[kind]
    flag = f" <strong>({e(_(note))})</strong>" if note else ""
    label = _("Source: {source}").format(source=source)
    return f"<br><small>{e(label)}{flag}</small>"


def _quoted(text: str) -> str:
    """Words quoted from a text, in the quotation marks of the current language."""
    return _("“{quote}”").format(quote=text)


class SectionView:
    """One challenge area or topic, for participants (no model answer). The HTML shows
    everything; the plain text (for nbval and text-only readers) lists the provisions with their
    duties, the figures, the cases and the question."""

    def __init__(self, section: Section):
        self.section = section

    def __repr__(self) -> str:
        s = self.section
        out = [s.title, _("What the instruments require:")]
        for heading, obligations in _by_crime(s.obligations):
            provisions = "; ".join(
                f"{instrument_name(o.instrument)} {o.article} ({duty_label(o.duty)})"
                for o in obligations
            )
            out.append("- " + _("{label}: {entries}").format(label=heading, entries=provisions))
        out.append(_("What goes wrong in practice:"))
        out += [f"- {f.figure} ({f.source})" for f in s.findings if f.figure]
        if s.cases:
            out.append(_("Cases:"))
            out += [f"- {c.name} ({c.country}; {c.court}; {c.year})" for c in s.cases]
        titles = _scenario_titles(s)
        if titles:
            out.append(
                _("Scenarios below (invented for training): {titles}").format(
                    titles="; ".join(titles)
                )
            )
        out.append(_("For discussion: {question}").format(question=s.question))
        return "\n".join(out)

    def _repr_html_(self) -> str:
        s = self.section
        require, it_requires = _("What the instruments require"), _("What it requires")
        provision, duty = _("Provision"), _("Duty")
        goes_wrong, teaches = _("What goes wrong in practice"), _("What it teaches:")
        cases, discussion = _("Cases"), _("For discussion")
        below = _("Scenarios below (invented for training):")
        parts = [
            f'<div class="workshop-challenge" id="challenge-{e(s.id)}">'
            "<style>.workshop-challenge td{vertical-align:top;text-align:left}</style>",
            f"<h3>{e(s.title)}</h3><p>{e(s.summary)}</p>",
            f"<h4>{e(require)}</h4>",
        ]
        for heading, obligations in _by_crime(s.obligations):
            rows = []
            for o in obligations:
                limits = f"<br><small>{e(o.qualifier)}</small>" if o.qualifier else ""
                quote = (
                    '<blockquote style="margin:0.25em 0 0.25em 1em">'
                    f"{e(_quoted(o.quote))}</blockquote>"
                    if o.quote
                    else ""
                )
                rows.append(
                    f"<tr><td>{e(instrument_name(o.instrument))}, {e(o.article)}</td>"
                    f"<td><strong>{e(duty_label(o.duty))}</strong>{limits}</td>"
                    f"<td>{quote}{e(o.summary)}"
                    f"{_source_html(o.source, o.source_kind)}</td></tr>"
                )
            parts.append(
                f"<h5>{e(heading)}</h5><table><thead><tr><th>{e(provision)}</th>"
                f"<th>{e(duty)}</th><th>{e(it_requires)}</th></tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
        parts.append(f"<h4>{e(goes_wrong)}</h4>")
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
                f"{e(c.facts)}<br><em>{e(teaches)}</em> {e(c.point)}"
                f"{_source_html(c.source, c.source_kind)}</li>"
                for c in s.cases
            )
            parts.append(f"<h4>{e(cases)}</h4><ul>{items}</ul>")
        titles = _scenario_titles(s)
        if titles:
            parts.append(f"<p><em>{e(below)}</em> {e('; '.join(titles))}</p>")
        parts.append(f"<h4>{e(discussion)}</h4><p>{e(s.question)}</p></div>")
        return "".join(parts)


class TrainerNotesView:
    """The trainer's part of a section: the question, a model answer, misconceptions."""

    def __init__(self, section: Section):
        self.section = section

    def __repr__(self) -> str:
        s = self.section
        count = len(s.misconceptions)
        return ngettext(
            "Trainer notes: {title}. The model answer and {count} misconception to expect are "
            "in the HTML output.",
            "Trainer notes: {title}. The model answer and {count} misconceptions to expect are "
            "in the HTML output.",
            count,
        ).format(title=s.title, count=count)

    def _repr_html_(self) -> str:
        s = self.section
        items = "".join(
            f"<li><strong>{e(_quoted(m.claim))}</strong> {e(m.answer)} "
            f"<em>({e(m.source)})</em></li>"
            for m in s.misconceptions
        )
        heading = _("Trainer notes: {title}").format(title=s.title)
        model = _("Model answer.")
        expect = _("Misconceptions to expect, and how to answer them")
        return (
            f'<div class="workshop-trainer-notes"><h4>{e(heading)}</h4>'
            f"<p><strong>{e(model)}</strong> {e(s.model_answer)}</p>"
            f"<p><strong>{e(expect)}</strong></p>"
            f"<ul>{items}</ul></div>"
        )


def _view(build, section_id: str):
    try:
        return build(load_challenges().section(section_id))
    except ChallengesError as exc:
        return Message(_("This section could not be loaded: {error}").format(error=exc))


def challenge_area(section_id: str) -> SectionView | Message:
    """A challenge area or topic of `data/challenges.yaml`, for participants."""
    return _view(SectionView, section_id)


def challenge_trainer_notes(section_id: str) -> TrainerNotesView | Message:
    """The model answer and misconceptions of a section, for a cell tagged `trainer`."""
    return _view(TrainerNotesView, section_id)
