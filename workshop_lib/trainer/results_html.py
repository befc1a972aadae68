"""The cohort's results (`workshop_lib.trainer.results`) as plain, escaped HTML, shared by the
report (everything) and the dashboard (bounded: the most recent notes, the first scores).

Every piece of text a participant wrote, and every label, is escaped; labels wrap and are never
cut (no ellipsis in the middle of a phrase); counts are in text beside every bar, so the page
needs no script, prints, and reads aloud. Each chart also has a one-sentence description
(`Bars.description`) for screen readers and the text view.

Every heading, sentence and label is in the current language (`_()`, `ngettext()`), and so are
numbers (`number()`: the language's separators); participants' own text is shown as written.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from workshop_lib.i18n.catalog import _, ngettext
from workshop_lib.trainer.exports import number
from workshop_lib.trainer.results import (
    MIN_FOR_ANALYSIS,
    ChecklistMatrix,
    CohortResults,
    KnowledgeGain,
    QuizResult,
    another_answer,
    with_full_stop,
)

COLOURS = ("#1f5f8b", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#777777")
WRAP = "overflow-wrap:anywhere;white-space:normal"
esc = html.escape


def header_cells(*names: str) -> str:
    """Column headers (`<th scope='col'>`), escaped."""
    return "".join(f"<th scope='col'>{esc(name)}</th>" for name in names)


def percent(share: float | None) -> str:
    """A share as a whole percentage, or 'no answers'."""
    if share is None:
        return _("no answers")
    return whole_percent(100 * share)


def whole_percent(value: float) -> str:
    """A percentage, rounded to a whole number: '38%' ('38 %' in French). Sentences take it as
    a placeholder, so that no message holds a '%' that gettext tools would read as a format."""
    return _("{number}%").format(number=number(round(value)))


def points(change: float) -> str:
    """A signed whole number (a change in percentage points): '+38'."""
    return number(change, "+.0f")


@dataclass
class Bars:
    """Counts drawn as plain HTML bars: one row per answer, one count per series (a single
    series for a poll, several for stacked answers such as the checklist's scale)."""

    title: str
    series: list[str]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)

    def description(self) -> str:
        """The sentence a screen reader reads, and what the static view shows."""
        if len(self.series) == 1:
            listing = ", ".join(f"{label}: {c[0]}" for label, c in self.rows if c[0])
        else:
            listing = "; ".join(
                f"{label}: " + ", ".join(f"{s} {n}" for s, n in zip(self.series, c, strict=True))
                for label, c in self.rows
                if sum(c)
            )
        return _("Chart: {title} {listing}").format(
            title=with_full_stop(self.title), listing=with_full_stop(listing or _("no answers yet"))
        )

    def html(self, heading: str = "h4") -> str:
        """The bars as an escaped HTML table; each bar is the row's share, in text as well."""
        single = len(self.series) == 1
        total = sum(c[0] for _label, c in self.rows) if single else 0
        head = "".join(f"<th scope='col'>{esc(s)}</th>" for s in self.series)
        body = []
        for label, counts in self.rows:
            whole = total if single else sum(counts)
            segments = "".join(
                f"<div style='width:{100 * n / whole:.1f}%;background:{COLOURS[i % len(COLOURS)]}'"
                "></div>"
                for i, n in enumerate(counts)
                if n and whole
            )
            spoken = ", ".join(f"{s} {n}" for s, n in zip(self.series, counts, strict=True))
            cells = "".join(f"<td>{n}</td>" for n in counts)
            body.append(
                f"<tr><td style='{WRAP}'><bdi>{esc(label)}</bdi></td>{cells}"
                f"<td style='width:35%'><div role='img' aria-label='{esc(spoken)}' "
                f"style='display:flex;height:1rem;background:#f0f0f0'>{segments}</div></td></tr>"
            )
        answer_head, share_head = header_cells(_("Answer")), header_cells(_("Share"))
        legend = ""
        if not single:
            legend = (
                "<p>"
                + " ".join(
                    f"<span style='display:inline-block;width:.8rem;height:.8rem;"
                    f"background:{COLOURS[i % len(COLOURS)]}'></span> {esc(s)}"
                    for i, s in enumerate(self.series)
                )
                + "</p>"
            )
        return (
            f"<{heading} style='{WRAP}'>{esc(self.title)}</{heading}>{legend}<table "
            f"style='border-collapse:collapse;width:100%;max-width:60rem'><thead><tr>"
            f"{answer_head}{head}{share_head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )


def quiz_score_bars(result: QuizResult) -> Bars:
    """How many participants reached each score (recomputed from their choices)."""
    bars = Bars(_("{title}: scores").format(title=result.title), [_("participants")])
    bars.rows = [(str(score), [n]) for score, n in result.distribution()]
    if result.unusable:
        bars.rows.append((_("another score"), [result.unusable]))
    return bars


def poll_bars(results: CohortResults) -> list[Bars]:
    """Each round of each poll as bars (options by their labels in the current language)."""
    found = []
    for poll in results.polls():
        title = (
            _("Poll: {question} (round {round})").format(
                question=poll.poll.question, round=poll.round
            )
            if poll.round > 1
            else _("Poll: {question}").format(question=poll.poll.question)
        )
        bars = Bars(title, [_("participants")])
        bars.rows = [(option, [n]) for option, n in poll.counts]
        if poll.others:
            bars.rows.append((another_answer(), [poll.others]))
        found.append(bars)
    return found


def matrix_bars(title: str, matrix: ChecklistMatrix) -> Bars:
    """A checklist matrix (questions by answers) as stacked bars, the scale by its labels."""
    series = matrix.series()
    bars = Bars(title, [label for _value, label in series])
    bars.rows = [
        (text, [matrix.counts[key][value] for value, _label in series]) for key, text in matrix.rows
    ]
    return bars


def scenario_bars(results: CohortResults) -> list[Bars]:
    """Per scenario set, how many classified each scenario as the facts show."""
    sets: dict[str, list] = {}
    for result in results.scenarios():
        sets.setdefault(result.scenario.set_id, []).append(result)
    found = []
    for scenarios in sets.values():
        bars = Bars(
            _("Scenarios: classified as the facts show?"),
            [_("as the facts show"), _("otherwise")],
        )
        bars.rows = [
            (r.scenario.title, [r.right, r.answered - r.right]) for r in scenarios if r.answered
        ]
        found.append(bars)
    return found


def gain_html(gain: KnowledgeGain | None) -> str:
    """The knowledge check before and after: the cohort's gain overall and per item."""
    if gain is None:
        return ""
    heading = _("{title}: what the cohort learnt").format(title=gain.title)
    parts = [f"<h3>{esc(heading)}</h3>"]
    if not gain.matched:
        parts.append(
            "<p>"
            + esc(
                _(
                    "No participant has taken both checks yet ({before} before only, "
                    "{after} after only)."
                ).format(before=gain.only_before, after=gain.only_after)
            )
            + "</p>"
        )
        return "".join(parts)
    normalised = gain.normalised_gain
    took = ngettext(
        "{count} participant(s) took both checks of {total} questions: {before} right "
        "before the session, {after} after, a gain of <strong>{gain} percentage "
        "points</strong>",
        "{count} participant(s) took both checks of {total} questions: {before} right "
        "before the session, {after} after, a gain of <strong>{gain} percentage "
        "points</strong>",
        len(gain.matched),
    ).format(
        count=len(gain.matched),
        total=gain.items_total,
        before=whole_percent(gain.before_mean),
        after=whole_percent(gain.after_mean),
        gain=points(gain.gain),
    )
    share = (
        _(" ({share} of the possible gain).").format(share=whole_percent(100 * normalised))
        if normalised is not None
        else "."
    )
    left_out = _(
        " Not counted: {before} who took only the first check, {after} only the second."
    ).format(before=gain.only_before, after=gain.only_after)
    parts.append(f"<p>{took}{share}{left_out}</p>")
    rows = "".join(
        f"<tr><td style='{WRAP}'>{esc(item.question)}</td><td>{percent(item.before)}</td>"
        f"<td>{percent(item.after)}</td><td>"
        + (
            ""
            if item.change is None
            else esc(_("{change} points").format(change=points(item.change)))
        )
        + "</td></tr>"
        for item in gain.items
    )
    head = header_cells(_("Question"), _("Right before"), _("Right after"), _("Change"))
    parts.append(
        f"<table style='border-collapse:collapse;width:100%'><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return "".join(parts)


def right_of(right: int, answered: int) -> str:
    """'{share} ({right} of {answered})': the share right and its counts."""
    return _("{share} ({right} of {answered})").format(
        share=percent(right / answered if answered else None), right=right, answered=answered
    )


def quiz_html(result: QuizResult, scores_limit: int | None = None) -> str:
    """One quiz: per question the share right, the right answer, the most common wrong answer
    and the explanation; item statistics when there are enough answers; the scores."""
    if not result.scores and not result.unusable:
        return ""
    answered = ngettext(
        "{count} participant(s) answered; {complete} answered every question.",
        "{count} participant(s) answered; {complete} answered every question.",
        len(result.scores),
    ).format(count=len(result.scores), complete=result.complete)
    parts = [f"<h3 style='{WRAP}'>{esc(result.title)}</h3>", f"<p>{esc(answered)}</p>"]
    if result.analysed:
        parts.append(
            "<p>"
            + _(
                "Item analysis: <em>difficulty</em> is the share right; <em>discrimination</em> "
                "is the corrected item-total correlation (each question against the score on the "
                "others): 0.3 or more is good, under 0.2 weak, below 0 a warning sign."
            )
            + "</p>"
        )
    else:
        parts.append(
            "<p>"
            + esc(
                _(
                    "Item statistics appear once {minimum} participants have answered every "
                    "question (now {complete})."
                ).format(minimum=MIN_FOR_ANALYSIS, complete=result.complete)
            )
            + "</p>"
        )
    rows = []
    for item in result.items:
        wrong = item.common_wrong()
        wrong_text = f"{esc(wrong[0])} ({wrong[1]})" if wrong else esc(_("none"))
        share = right_of(item.right, item.answered) if item.answered else _("no answers")
        stats = ""
        if result.analysed:
            discrimination = (
                _("n/a") if item.discrimination is None else number(item.discrimination, ".2f")
            )
            flags = "".join(f"<br>⚠ {esc(flag)}" for flag in item.flags)
            stats = f"<td>{percent(item.share_right)}</td><td>{esc(discrimination)}{flags}</td>"
        rows.append(
            f"<tr><td>{item.number}</td><td style='{WRAP}'>{esc(item.question)}</td>"
            f"<td>{esc(share)}</td><td style='{WRAP}'>{esc(item.right_answer)}</td>"
            f"<td style='{WRAP}'>{wrong_text}</td><td style='{WRAP}'>"
            f"{esc(item.item.explanation)} <em>({esc(item.item.source)})</em></td>{stats}</tr>"
        )
    head = header_cells(
        "#",
        _("Question"),
        _("Right"),
        _("Right answer"),
        _("Most common wrong answer"),
        _("What to explain"),
        *((_("Difficulty"), _("Discrimination")) if result.analysed else ()),
    )
    parts.append(
        f"<table style='border-collapse:collapse;width:100%'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    parts.append(quiz_score_bars(result).html("h4"))
    shown = result.scores if scores_limit is None else result.scores[:scores_limit]
    score_rows = "".join(
        f"<tr><td><bdi>{esc(name)}</bdi></td><td>"
        + esc(_("{right} of {total}").format(right=right, total=len(result.items)))
        + "</td></tr>"
        for name, right, _answered in shown
    )
    more = len(result.scores) - len(shown)
    summary = esc(_("Scores per participant"))
    head = header_cells(_("Participant"), _("Score"))
    parts.append(
        f"<details><summary>{summary}</summary><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{score_rows}</tbody></table>"
        + (f"<p>{esc(and_more(more))}</p>" if more > 0 else "")
        + "</details>"
    )
    return "".join(parts)


def and_more(more: int) -> str:
    """'And 1,234 more; the report lists them all.'"""
    return ngettext(
        "And {count} more; the report lists them all.",
        "And {count} more; the report lists them all.",
        more,
    ).format(count=number(more))


def scenarios_html(results: CohortResults) -> str:
    """Per scenario: the share right, the answers given, the most often misread element and
    what to explain about it."""
    answered = [r for r in results.scenarios() if r.answered]
    if not answered:
        return ""
    rows = []
    for result in answered:
        given = "; ".join(f"{esc(label)}: {n}" for label, n in result.classifications)
        misread = result.misread[0] if result.misread else None
        if misread is None:
            element = esc(_("none"))
        else:
            state = (
                _("present in the facts; misread by {misread} of {answered}")
                if misread.present
                else _("absent in the facts; misread by {misread} of {answered}")
            ).format(misread=misread.misread, answered=result.answered)
            element = f"<strong>{esc(misread.name)}</strong> ({esc(state)}): {esc(misread.explain)}"
        rows.append(
            f"<tr><td style='{WRAP}'>{esc(result.scenario.title)}</td>"
            f"<td>{esc(right_of(result.right, result.answered))}</td>"
            f"<td>{esc(result.expected)}</td><td style='{WRAP}'>{given}</td>"
            f"<td style='{WRAP}'>{element}</td></tr>"
        )
    heading = esc(_("Case scenarios"))
    head = header_cells(
        _("Scenario"),
        _("Classified as the facts show"),
        _("The facts show"),
        _("Answers given"),
        _("Most often misread element, and what to explain"),
    )
    return (
        f"<h3>{heading}</h3><table style='border-collapse:collapse;width:100%'><thead><tr>"
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def checklist_html(results: CohortResults) -> tuple[str, list[Bars]]:
    """The checklist: the matrix overall, the countries, each country's matrix and the
    country-status notes."""
    parts, bars = [], []
    for result in results.checklists():
        if not result.overall.participants:
            continue
        overall = matrix_bars(
            _("{title}: answers").format(title=result.checklist.title), result.overall
        )
        bars.append(overall)
        parts.append(overall.html("h3"))
        answered = ngettext(
            "{count} participant(s) answered.",
            "{count} participant(s) answered.",
            result.overall.participants,
        ).format(count=result.overall.participants)
        parts.append(f"<p>{esc(answered)}</p>")
        if result.countries:
            listing = ", ".join(f"{name} ({code}): {n}" for code, name, n in result.countries)
            parts.append(
                f"<h4 style='{WRAP}'>{esc(result.status_question)}</h4>"
                "<p>"
                + esc(_("Participants by country: {countries}.").format(countries=listing))
                + "</p>"
            )
            for code, name, _count in result.countries:
                matrix = result.by_country[code]
                title = _("{title}: answers").format(title=name)
                parts.append(matrix_bars(title, matrix).html("h5"))
        if result.status_notes:
            heading = _("Notes on the first question ({count})").format(
                count=len(result.status_notes)
            )
            parts.append(f"<h4>{esc(heading)}</h4>")
            parts += [
                note_html(name, country, text, None) for name, country, text in result.status_notes
            ]
        for label, notes in result.row_notes:
            heading = _("Notes: {question} ({count})").format(question=label, count=len(notes))
            parts.append(f"<h4 style='{WRAP}'>{esc(heading)}</h4>")
            parts += [note_html(name, country, text, None) for name, country, text in notes]
    return "".join(parts), bars


def note_html(name: str, country: str, text: str, limit: int | None) -> str:
    """One note, escaped and isolated (right-to-left text stays readable), with its author's
    label and country; shortened to `limit` characters, saying so, when given."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + _(
            " … (shortened here: {count} characters; the report has the whole note)"
        ).format(count=number(len(text)))
    where = f" ({esc(country)})" if country else ""
    return (
        f"<p style='white-space:pre-wrap;overflow-wrap:anywhere'><em>{esc(name)}</em>{where}: "
        f"<bdi>{esc(text)}</bdi></p>"
    )


def notes_html(
    results: CohortResults, limit: int | None = None, note_chars: int | None = None
) -> str:
    """The notes grouped by prompt, newest first (the `limit` most recent per prompt)."""
    parts = ["<h3>" + esc(_("Discussion notes")) + "</h3>"]
    for prompt in results.prompts():
        parts.append(f"<h4 style='{WRAP}'>{esc(prompt.prompt)}</h4>")
        notes = results.notes(prompt)
        shown = notes if limit is None else notes[:limit]
        if len(notes) > len(shown):
            parts.append(
                "<p>"
                + _(
                    "The {shown} most recent of {count} notes; <em>Write report</em> below "
                    "gives them all."
                ).format(shown=len(shown), count=number(len(notes)))
                + "</p>"
            )
        for note in sorted(shown, key=lambda n: n.name):
            parts.append(note_html(note.name, note.country, note.text, note_chars))
        if not notes:
            parts.append("<p>" + esc(_("No notes yet.")) + "</p>")
    return "".join(parts)


def results_html(
    results: CohortResults,
    *,
    notes_limit: int | None = None,
    note_chars: int | None = None,
    scores_limit: int | None = None,
) -> tuple[str, list[Bars]]:
    """Every section in the trainer's words, and the bars drawn (for their descriptions)."""
    bars: list[Bars] = []
    parts = [gain_html(results.knowledge_gain())]
    for quiz in results.quizzes():
        bars.append(quiz_score_bars(quiz))
        parts.append(quiz_html(quiz, scores_limit))
    scenario_charts = scenario_bars(results)
    bars += scenario_charts
    parts += [b.html("h3") for b in scenario_charts if b.rows]
    parts.append(scenarios_html(results))
    polls = poll_bars(results)
    bars += polls
    parts += [b.html("h3") for b in polls]
    checklist, checklist_bars = checklist_html(results)
    bars += checklist_bars
    parts.append(checklist)
    parts.append(notes_html(results, notes_limit, note_chars))
    return "".join(parts), bars


def unknown_activities(results: CohortResults) -> list[tuple[str, str, int]]:
    """(notebook, activity, records) of answers to activities the content does not know (an
    older version's, or written by hand), so that the report still lists them."""
    from workshop_lib.trainer.results import activity_index, find_activity

    index = activity_index()
    seen: dict[tuple[str, str], int] = {}
    for record in results.answers.records:
        activity, _ = find_activity(index, record["activity"])
        if activity is None or activity.kind != record["kind"]:
            key = (record["notebook"], record["activity"])
            seen[key] = seen.get(key, 0) + 1
    return sorted((nb, act, n) for (nb, act), n in seen.items())
