"""The cohort's results (`workshop_lib.trainer.results`) as plain, escaped HTML, shared by the
report (everything) and the dashboard (bounded: the most recent notes, the first scores).

Every piece of text a participant wrote, and every label, is escaped; labels wrap and are never
cut (no ellipsis in the middle of a phrase); counts are in text beside every bar, so the page
needs no script, prints, and reads aloud. Each chart also has a one-sentence description
(`Bars.description`) for screen readers and the text view.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from workshop_lib.trainer.results import (
    ANOTHER_ANSWER,
    MIN_FOR_ANALYSIS,
    ChecklistMatrix,
    CohortResults,
    KnowledgeGain,
    QuizResult,
    with_full_stop,
)

COLOURS = ("#1f5f8b", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#777777")
WRAP = "overflow-wrap:anywhere;white-space:normal"
esc = html.escape


def percent(share: float | None) -> str:
    """A share as a whole percentage, or 'no answers'."""
    return "no answers" if share is None else f"{round(100 * share)}%"


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
        return f"Chart: {with_full_stop(self.title)} {with_full_stop(listing or 'no answers yet')}"

    def html(self, heading: str = "h4") -> str:
        """The bars as an escaped HTML table; each bar is the row's share, in text as well."""
        single = len(self.series) == 1
        total = sum(c[0] for _, c in self.rows) if single else 0
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
            f"<th scope='col'>Answer</th>{head}<th scope='col'>Share</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )


def quiz_score_bars(result: QuizResult) -> Bars:
    """How many participants reached each score (recomputed from their choices)."""
    bars = Bars(f"{result.title}: scores", ["participants"])
    bars.rows = [(str(score), [n]) for score, n in result.distribution()]
    if result.unusable:
        bars.rows.append(("another score", [result.unusable]))
    return bars


def poll_bars(results: CohortResults) -> list[Bars]:
    """Each round of each poll as bars."""
    found = []
    for poll in results.polls():
        rounds = f" (round {poll.round})" if poll.round > 1 else ""
        bars = Bars(f"Poll: {poll.poll.question}{rounds}", ["participants"])
        bars.rows = [(option, [n]) for option, n in poll.counts]
        if poll.others:
            bars.rows.append((ANOTHER_ANSWER, [poll.others]))
        found.append(bars)
    return found


def matrix_bars(title: str, matrix: ChecklistMatrix) -> Bars:
    """A checklist matrix (questions by answers) as stacked bars."""
    series = [*matrix.scale, *([ANOTHER_ANSWER] if matrix.has_others() else [])]
    bars = Bars(title, series)
    bars.rows = [(text, [matrix.counts[key][s] for s in series]) for key, text in matrix.rows]
    return bars


def scenario_bars(results: CohortResults) -> list[Bars]:
    """Per scenario set, how many classified each scenario as the facts show."""
    sets: dict[str, list] = {}
    for result in results.scenarios():
        sets.setdefault(result.scenario.set_id, []).append(result)
    found = []
    for scenarios in sets.values():
        bars = Bars("Scenarios: classified as the facts show?", ["as the facts show", "otherwise"])
        bars.rows = [
            (r.scenario.title, [r.right, r.answered - r.right]) for r in scenarios if r.answered
        ]
        found.append(bars)
    return found


def gain_html(gain: KnowledgeGain | None) -> str:
    """The knowledge check before and after: the cohort's gain overall and per item."""
    if gain is None:
        return ""
    parts = [f"<h3>{esc(gain.title)}: what the cohort learnt</h3>"]
    if not gain.matched:
        parts.append(
            f"<p>No participant has taken both checks yet ({gain.only_before} before only, "
            f"{gain.only_after} after only).</p>"
        )
        return "".join(parts)
    normalised = gain.normalised_gain
    parts.append(
        f"<p>{len(gain.matched)} participant(s) took both checks of {gain.items_total} "
        f"questions: {gain.before_mean:.0f}% right before the session, {gain.after_mean:.0f}% "
        f"after, a gain of <strong>{gain.gain:+.0f} percentage points</strong>"
        + (f" ({100 * normalised:.0f}% of the possible gain)." if normalised is not None else ".")
        + f" Not counted: {gain.only_before} who took only the first check, "
        f"{gain.only_after} only the second.</p>"
    )
    rows = "".join(
        f"<tr><td style='{WRAP}'>{esc(item.question)}</td><td>{percent(item.before)}</td>"
        f"<td>{percent(item.after)}</td><td>"
        + ("" if item.change is None else f"{item.change:+.0f} points")
        + "</td></tr>"
        for item in gain.items
    )
    parts.append(
        "<table style='border-collapse:collapse;width:100%'><thead><tr>"
        "<th scope='col'>Question</th><th scope='col'>Right before</th>"
        "<th scope='col'>Right after</th><th scope='col'>Change</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return "".join(parts)


def quiz_html(result: QuizResult, scores_limit: int | None = None) -> str:
    """One quiz: per question the share right, the right answer, the most common wrong answer
    and the explanation; item statistics when there are enough answers; the scores."""
    if not result.scores and not result.unusable:
        return ""
    parts = [
        f"<h3 style='{WRAP}'>{esc(result.title)}</h3>",
        f"<p>{len(result.scores)} participant(s) answered; {result.complete} answered every "
        "question.</p>",
    ]
    if result.analysed:
        parts.append(
            "<p>Item analysis: <em>difficulty</em> is the share right; <em>discrimination</em> "
            "is the corrected item-total correlation (each question against the score on the "
            "others): 0.3 or more is good, under 0.2 weak, below 0 a warning sign.</p>"
        )
    else:
        parts.append(
            f"<p>Item statistics appear once {MIN_FOR_ANALYSIS} participants have answered "
            f"every question (now {result.complete}).</p>"
        )
    rows = []
    for item in result.items:
        wrong = item.common_wrong()
        wrong_text = f"{esc(wrong[0])} ({wrong[1]})" if wrong else "none"
        share = (
            f"{percent(item.share_right)} ({item.right} of {item.answered})"
            if item.answered
            else "no answers"
        )
        stats = ""
        if result.analysed:
            discrimination = "n/a" if item.discrimination is None else f"{item.discrimination:.2f}"
            flags = "".join(f"<br>⚠ {esc(flag)}" for flag in item.flags)
            stats = f"<td>{percent(item.share_right)}</td><td>{discrimination}{flags}</td>"
        rows.append(
            f"<tr><td>{item.number}</td><td style='{WRAP}'>{esc(item.question)}</td>"
            f"<td>{share}</td><td style='{WRAP}'>{esc(item.right_answer)}</td>"
            f"<td style='{WRAP}'>{wrong_text}</td><td style='{WRAP}'>"
            f"{esc(item.item.explanation)} <em>({esc(item.item.source)})</em></td>{stats}</tr>"
        )
    stat_head = (
        "<th scope='col'>Difficulty</th><th scope='col'>Discrimination</th>"
        if result.analysed
        else ""
    )
    parts.append(
        "<table style='border-collapse:collapse;width:100%'><thead><tr><th scope='col'>#</th>"
        "<th scope='col'>Question</th><th scope='col'>Right</th>"
        "<th scope='col'>Right answer</th><th scope='col'>Most common wrong answer</th>"
        f"<th scope='col'>What to explain</th>{stat_head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    parts.append(quiz_score_bars(result).html("h4"))
    shown = result.scores if scores_limit is None else result.scores[:scores_limit]
    score_rows = "".join(
        f"<tr><td><bdi>{esc(name)}</bdi></td><td>{right} of {len(result.items)}</td></tr>"
        for name, right, _ in shown
    )
    more = len(result.scores) - len(shown)
    parts.append(
        "<details><summary>Scores per participant</summary><table><thead><tr>"
        "<th scope='col'>Participant</th><th scope='col'>Score</th></tr></thead>"
        f"<tbody>{score_rows}</tbody></table>"
        + (f"<p>And {more:,} more; the report lists them all.</p>" if more > 0 else "")
        + "</details>"
    )
    return "".join(parts)


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
            element = "none"
        else:
            state = "present" if misread.present else "absent"
            element = (
                f"<strong>{esc(misread.name)}</strong> ({state} in the facts; misread by "
                f"{misread.misread} of {result.answered}): {esc(misread.explain)}"
            )
        rows.append(
            f"<tr><td style='{WRAP}'>{esc(result.scenario.title)}</td>"
            f"<td>{percent(result.share_right)} ({result.right} of {result.answered})</td>"
            f"<td>{esc(result.expected)}</td><td style='{WRAP}'>{given}</td>"
            f"<td style='{WRAP}'>{element}</td></tr>"
        )
    return (
        "<h3>Case scenarios</h3><table style='border-collapse:collapse;width:100%'><thead><tr>"
        "<th scope='col'>Scenario</th><th scope='col'>Classified as the facts show</th>"
        "<th scope='col'>The facts show</th><th scope='col'>Answers given</th>"
        "<th scope='col'>Most often misread element, and what to explain</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def checklist_html(results: CohortResults) -> tuple[str, list[Bars]]:
    """The checklist: the matrix overall, the countries, each country's matrix and the
    country-status notes."""
    parts, bars = [], []
    for result in results.checklists():
        if not result.overall.participants:
            continue
        overall = matrix_bars(f"{result.checklist.title}: answers", result.overall)
        bars.append(overall)
        parts.append(overall.html("h3"))
        parts.append(f"<p>{result.overall.participants} participant(s) answered.</p>")
        if result.countries:
            listing = ", ".join(
                f"{esc(name)} ({esc(code)}): {n}" for code, name, n in result.countries
            )
            parts.append(
                f"<h4 style='{WRAP}'>{esc(result.status_question)}</h4>"
                f"<p>Participants by country: {listing}.</p>"
            )
            for code, name, _ in result.countries:
                matrix = result.by_country[code]
                parts.append(matrix_bars(f"{name}: answers", matrix).html("h5"))
        if result.status_notes:
            parts.append(f"<h4>Notes on the first question ({len(result.status_notes)})</h4>")
            parts += [
                note_html(name, country, text, None) for name, country, text in result.status_notes
            ]
        for label, notes in result.row_notes:
            parts.append(f"<h4 style='{WRAP}'>Notes: {esc(label)} ({len(notes)})</h4>")
            parts += [note_html(name, country, text, None) for name, country, text in notes]
    return "".join(parts), bars


def note_html(name: str, country: str, text: str, limit: int | None) -> str:
    """One note, escaped and isolated (right-to-left text stays readable), with its author's
    label and country; shortened to `limit` characters, saying so, when given."""
    if limit is not None and len(text) > limit:
        text = (
            f"{text[:limit]} … (shortened here: {len(text):,} characters; the report has the "
            "whole note)"
        )
    where = f" ({esc(country)})" if country else ""
    return (
        f"<p style='white-space:pre-wrap;overflow-wrap:anywhere'><em>{esc(name)}</em>{where}: "
        f"<bdi>{esc(text)}</bdi></p>"
    )


def notes_html(
    results: CohortResults, limit: int | None = None, note_chars: int | None = None
) -> str:
    """The notes grouped by prompt, newest first (the `limit` most recent per prompt)."""
    parts = ["<h3>Discussion notes</h3>"]
    for prompt in results.prompts():
        parts.append(f"<h4 style='{WRAP}'>{esc(prompt.prompt)}</h4>")
        notes = results.notes(prompt)
        shown = notes if limit is None else notes[:limit]
        if len(notes) > len(shown):
            parts.append(
                f"<p>The {len(shown)} most recent of {len(notes):,} notes; "
                "<em>Write report</em> below gives them all.</p>"
            )
        for note in sorted(shown, key=lambda n: n.name):
            parts.append(note_html(note.name, note.country, note.text, note_chars))
        if not notes:
            parts.append("<p>No notes yet.</p>")
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
