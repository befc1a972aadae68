"""The cohort's results in the trainer's words, for the report, the dashboard, the live room
and the exports: every activity by its title and question, every answer by its option label.

- **Quiz**: per question, the share right, the most common wrong answer and the explanation to
  give; per participant, the score (recomputed from the choices: a saved score is the
  participant's own file and is not trusted). Once a quiz has at least `MIN_FOR_ANALYSIS`
  complete answers, item analysis: difficulty (the share right) and discrimination, the
  *corrected item-total (point-biserial) correlation*: each item's right/wrong against the
  score on the other items. It uses every participant, which matters in cohorts of 10 to 40
  where the upper-lower 27% index would rest on three to eleven people at each end, and the
  correction keeps the item from correlating with itself on a short quiz. Items are flagged
  when they look badly worded or keyed: almost nobody right (under 20%), almost everybody
  right (over 95%: it tells nothing), a discrimination under 0.2, a wrong answer chosen more
  often than the right one.
- **Scenarios**: per scenario, the share who classified it as the facts show, the answers
  given, and which element was most often misread, with the content's note on it (what to
  explain); elements that either answer can defend are not counted as misread.
- **Polls**: counts per option, per round.
- **Checklist**: a matrix of questions by answers, overall and by country where participants
  gave one (the country-status question's answer begins with the country and its ISO code in
  brackets); that question's notes are listed like a prompt's, never counted as an answer.
- **Notes**: grouped by prompt, with the participant's country when known (the country picker).
- **Knowledge gain**: the same items before and after the session, per participant who took
  both: the mean score before and after, the gain in percentage points, the normalised gain
  (the share of the possible gain achieved), and per item the share right before and after.

Only records of the kind their activity saves are used (one per participant: the latest), and
every value a participant wrote is matched against the content before it is shown as a label;
anything else is counted as "another answer". Nothing here escapes: the HTML views do
(`workshop_lib.trainer.results_html`).

Everything is in the language spoken when the results are built (`workshop_lib.i18n`): the
content's texts in that language, and every stored value (a poll's or the checklist's canonical
English option, a quiz option's id, a scenario's classification id) shown by its label in that
language. Answers are counted by their stored values, so a cohort that answered in several
languages is one cohort. Nothing is cached across a change of language.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from workshop_lib.exercises import content
from workshop_lib.exercises.elements import SOM_ELEMENTS, TIP_ELEMENTS, element_words
from workshop_lib.facts.countries import display_name, known_code
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.responses.cohort import CohortAnswers
from workshop_lib.responses.controls import split_round

MIN_FOR_ANALYSIS = 10  # complete answers to a quiz before item statistics are shown
HARD, EASY, WEAK = 0.20, 0.95, 0.20  # flags: share right, share right, discrimination
# The key that counts answers the content does not know; shown as `_(ANOTHER_ANSWER)`.
ANOTHER_ANSWER = N_("another answer")
COUNTRY_ACTIVITY = "country"  # what the country picker saves (workshop_lib.notebook)
# "Kenya (KEN): UNTOC: Party ..." (French typography may put a space before the colon)
STATUS_CODE = re.compile(r"^[^:]*\(([A-Z]{3})\)\s*:")
# Scenario classifications by their stored ids; shown with `classification_label()`.
CLASSIFICATION_LABELS = {
    "trafficking": N_("Trafficking in persons"),
    "smuggling": N_("Smuggling of migrants"),
    "both": N_("Both"),
    "neither": N_("Neither"),
}
MARKED_ELEMENTS = {**TIP_ELEMENTS, **SOM_ELEMENTS}
# The elements a participant ticks, by their stored keys, in short; shown with `element_name()`.
ELEMENT_NAMES = {
    "act": N_("Act"),
    "means": N_("Means"),
    "exploitation_purpose": N_(
        "Purpose of exploitation (sexual exploitation, forced labour or services, slavery, "
        "servitude, removal of organs...)"
    ),
    "child": N_("The victim is a child (under 18)"),
    "illegal_entry_procured": N_("Procurement of illegal entry"),
    "material_benefit": N_(
        "The person arranging the entry sought a financial or other material benefit"
    ),
    "not_national_or_resident": N_(
        "Entry into a State of which the person is not a national or permanent resident"
    ),
    "illegal_stay_enabled": N_("Enabling illegal stay"),
}


def another_answer() -> str:
    """What answers off the content are called, in the current language."""
    return _(ANOTHER_ANSWER)


def classification_label(key: object) -> str:
    """A scenario classification id in words (current language); '' when unknown."""
    label = CLASSIFICATION_LABELS.get(key) if isinstance(key, str) else None
    return _(label) if label else ""


def element_name(key: str) -> str:
    """An element's short name in the current language."""
    return _(ELEMENT_NAMES[key])


def option_values(activity: content.Activity) -> tuple[str, ...]:
    """The values a poll's options or the checklist's scale are stored as: the canonical
    (English) options, whatever the language the participant answered in."""
    if isinstance(activity, content.Poll):
        return tuple(activity.values)
    if isinstance(activity, content.Checklist):
        return tuple(activity.scale_values)
    return ()


def value_label(activity: content.Activity, value: str) -> str:
    """A stored option value (of a poll or the checklist's scale) in the current language;
    the value itself when the content has no label for it."""
    label_of = getattr(activity, "label_of", None)
    label = label_of(value) if callable(label_of) else None
    return label if isinstance(label, str) and label else value


def trainer_activities() -> list[content.Activity]:
    """Every activity whose answers the trainer reads: the agenda's content and the knowledge
    check before and after the session."""
    from workshop_lib.exercises.knowledge_check import knowledge_check_quizzes

    found = list(content.all_activities())
    known = {a.activity_id for a in found}
    try:
        extra = [q for q in knowledge_check_quizzes() if q.activity_id not in known]
    except content.ContentError:
        extra = []
    return sorted([*found, *extra], key=lambda a: a.notebook)


def activity_title(activity: content.Activity) -> str:
    """What the trainer calls an activity: its title, question or prompt."""
    for name in ("title", "question", "prompt"):
        text = getattr(activity, name, None)
        if text:
            return text
    return activity.activity_id


def with_full_stop(text: str) -> str:
    """`text` as a sentence: a full stop added only when it does not already end in one of
    . ? ! (so a question never becomes "?.")."""
    text = text.rstrip()
    return text if not text or text[-1] in ".?!…" else text + "."


def option_label(item: content.QuizItem, option: object) -> str | None:
    """The label of a quiz option id (True/False for true/false items), or None."""
    for label, option_id in item.choices():
        if option_id == option:
            return label
    return None


def chosen_ids(item: content.QuizItem, value: object) -> frozenset[str] | None:
    """The option ids a participant chose for an item, when they are all the item's own."""
    valid = {option_id for _, option_id in item.choices()}
    if isinstance(value, str):
        chosen = frozenset({value})
    elif isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
        chosen = frozenset(value)
    else:
        return None
    return chosen if chosen <= valid else None


def answer_label(item: content.QuizItem, chosen: frozenset[str]) -> str:
    """An answer in words: the labels of the chosen options, joined by '; '."""
    labels = [label for label, option_id in item.choices() if option_id in chosen]
    return "; ".join(labels)


def quiz_marks(quiz: content.Quiz, answer: object) -> list[bool | None] | None:
    """Per item, True (right), False (wrong or unusable) or None (not answered); None when
    the answer holds no choice for any item of the quiz."""
    choices = answer.get("choices") if isinstance(answer, dict) else None
    if not isinstance(choices, dict):
        return None
    marks: list[bool | None] = []
    for item in quiz.items:
        if item.id not in choices or choices[item.id] is None:
            marks.append(None)
            continue
        chosen = chosen_ids(item, choices[item.id])
        marks.append(chosen == item.correct_ids())
    return None if all(m is None for m in marks) else marks


def pearson(xs: list[float], ys: list[float]) -> float | None:
    """The correlation of two equally long lists, or None when either does not vary."""
    if len(xs) < 2:
        return None
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx, syy = sum(d * d for d in dx), sum(d * d for d in dy)
    if sxx == 0 or syy == 0:
        return None
    return sum(a * b for a, b in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)


@dataclass
class QuizItemResult:
    """One quiz question across the cohort."""

    number: int
    item: content.QuizItem
    answered: int = 0
    right: int = 0
    counts: Counter = field(default_factory=Counter)  # answer label -> participants
    others: int = 0  # answers that are not options of the item
    discrimination: float | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def question(self) -> str:
        """The question as participants read it."""
        return self.item.question

    @property
    def share_right(self) -> float | None:
        """The share of those who answered who were right (the item's difficulty)."""
        return self.right / self.answered if self.answered else None

    @property
    def right_answer(self) -> str:
        """The right answer in words."""
        return answer_label(self.item, self.item.correct_ids())

    def common_wrong(self) -> tuple[str, int] | None:
        """The wrong answer given most often (label, participants), if any."""
        right = self.right_answer
        wrong = [(label, n) for label, n in self.counts.items() if label != right]
        if not wrong:
            return None
        return sorted(wrong, key=lambda kv: (-kv[1], kv[0]))[0]


@dataclass
class QuizResult:
    """One quiz across the cohort: per question, per participant, and item analysis."""

    quiz: content.Quiz
    items: list[QuizItemResult]
    scores: list[tuple[str, int, int]]  # (name, right, items answered)
    unusable: int  # answers with no choice for any item of this quiz
    complete: int  # participants who answered every item
    analysed: bool

    @property
    def title(self) -> str:
        """The quiz's title."""
        return self.quiz.title

    def distribution(self) -> list[tuple[int, int]]:
        """(score, participants) for every score from 0 to the number of items."""
        counts = Counter(score for _, score, _ in self.scores)
        return [(score, counts[score]) for score in range(len(self.quiz.items) + 1)]


@dataclass
class ElementMisread:
    """How many participants marked one element otherwise than the facts show."""

    key: str
    name: str
    present: bool
    misread: int
    explain: str


@dataclass
class ScenarioResult:
    """One case scenario across the cohort."""

    scenario: content.Scenario
    answered: int
    right: int
    classifications: list[tuple[str, int]]  # (label, participants), in the widget's order
    misread: list[ElementMisread]  # most often misread first; only elements misread at all

    @property
    def share_right(self) -> float | None:
        """The share who classified it as the facts show."""
        return self.right / self.answered if self.answered else None

    @property
    def expected(self) -> str:
        """The classification the facts show, in words."""
        return classification_label(self.scenario.classification)


@dataclass
class PollResult:
    """One round of a poll: counts per option."""

    poll: content.Poll
    round: int
    counts: list[tuple[str, int]]
    others: int

    @property
    def total(self) -> int:
        """Participants who answered this round."""
        return sum(n for _, n in self.counts) + self.others


@dataclass
class ChecklistMatrix:
    """Questions by answers: rows (key, text) and counts per answer of the scale (by the
    stored values; `labels` are the scale's words in the language of the results)."""

    rows: list[tuple[str, str]]
    scale: tuple[str, ...]
    counts: dict[str, Counter]
    participants: int
    labels: tuple[str, ...] = ()

    def has_others(self) -> bool:
        """Whether any row holds an answer off the scale."""
        return any(c[ANOTHER_ANSWER] for c in self.counts.values())

    def series(self) -> list[tuple[str, str]]:
        """(stored value, label) of each answer of the scale, then 'another answer' when a
        row holds one."""
        labels = self.labels if len(self.labels) == len(self.scale) else self.scale
        found = list(zip(self.scale, labels, strict=True))
        return found + ([(ANOTHER_ANSWER, another_answer())] if self.has_others() else [])


@dataclass
class ChecklistResult:
    """The checklist: the matrix overall and by country, the countries and the status notes."""

    checklist: content.Checklist
    status_question: str
    overall: ChecklistMatrix
    by_country: dict[str, ChecklistMatrix]  # ISO code -> matrix
    countries: list[tuple[str, str, int]]  # (code, name, participants)
    status_notes: list[tuple[str, str, str]]  # (name, country, note)
    row_notes: list[tuple[str, list[tuple[str, str, str]]]]  # (row label, [(name, country, note)])


@dataclass
class Note:
    """One participant's note to a prompt."""

    name: str
    country: str
    text: str
    last_saved: str


@dataclass
class GainItem:
    """One item of the knowledge check before and after."""

    question: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """The change in share right (after minus before), in percentage points."""
        if self.before is None or self.after is None:
            return None
        return 100 * (self.after - self.before)


@dataclass
class KnowledgeGain:
    """The knowledge check before and after the session, for participants who took both."""

    title: str
    items_total: int
    matched: list[tuple[str, int, int]]  # (name, score before, score after)
    only_before: int
    only_after: int
    items: list[GainItem]

    @property
    def before_mean(self) -> float | None:
        """The mean share right before, in percent."""
        return self._mean(1)

    @property
    def after_mean(self) -> float | None:
        """The mean share right after, in percent."""
        return self._mean(2)

    def _mean(self, index: int) -> float | None:
        if not self.matched:
            return None
        return 100 * statistics.fmean(row[index] for row in self.matched) / self.items_total

    @property
    def gain(self) -> float | None:
        """The mean gain in percentage points."""
        if not self.matched:
            return None
        return self.after_mean - self.before_mean

    @property
    def normalised_gain(self) -> float | None:
        """The share of the possible gain achieved: (after - before) / (100 - before), from
        the cohort's means (Hake's average normalised gain); None when everyone was already
        right before."""
        before, after = self.before_mean, self.after_mean
        if before is None or before >= 100:
            return None
        return (after - before) / (100 - before)


class CohortResults:
    """The results of one cohort's records, participants named by `names` (pseudonyms unless
    the trainer asks for ids)."""

    def __init__(self, answers: CohortAnswers, names: dict[str, str]):
        self.answers = answers
        self.names = names
        self.activities = trainer_activities()
        latest: dict[tuple[str, str], dict[tuple[str, str], dict]] = defaultdict(dict)
        for record in answers.records:
            slot = latest[(record["activity"], record["kind"])]
            who = (record["participant"], record["cohort"])
            if who not in slot or slot[who]["last_saved"] < record["last_saved"]:
                slot[who] = record
        self.latest = latest
        self.country_of = self._countries()

    def name(self, participant: str) -> str:
        """How a participant is shown."""
        return self.names.get(participant, participant)

    def records_of(self, activity_id: str, kind: str) -> list[dict]:
        """The latest record of each participant for one activity id and kind."""
        return list(self.latest.get((activity_id, kind), {}).values())

    def _countries(self) -> dict[str, str]:
        """Each participant's country code, where they gave one: the country picker, else the
        checklist's country-status answer."""
        found: dict[str, tuple[str, str]] = {}
        for (activity, kind), records in self.latest.items():
            if activity != COUNTRY_ACTIVITY or kind != "choice":
                continue
            for record in records.values():
                code = record["answer"].get("country") if isinstance(record["answer"], dict) else ""
                if isinstance(code, str) and known_code(code):
                    seen = found.get(record["participant"])
                    if seen is None or seen[1] < record["last_saved"]:
                        found[record["participant"]] = (code, record["last_saved"])
        chosen = {who: code for who, (code, _) in found.items()}
        for activity in self.activities:
            if isinstance(activity, content.Checklist):
                for record in self.records_of(activity.activity_id, activity.kind):
                    code = status_country(activity, record["answer"])
                    if code:
                        chosen.setdefault(record["participant"], code)
        return chosen

    def country_name(self, participant: str) -> str:
        """The participant's country in words, or ''."""
        code = self.country_of.get(participant)
        return display_name(code) if code else ""

    # quizzes -------------------------------------------------------------------------------

    def quiz(self, quiz: content.Quiz) -> QuizResult:
        """One quiz's results (see the module's docstring)."""
        items = [QuizItemResult(n, item) for n, item in enumerate(quiz.items, start=1)]
        scores, unusable, complete_rows = [], 0, []
        for record in self.records_of(quiz.activity_id, quiz.kind):
            answer = record["answer"]
            marks = quiz_marks(quiz, answer)
            if marks is None:
                unusable += 1
                continue
            choices = answer["choices"]
            for result, mark in zip(items, marks, strict=True):
                if mark is None:
                    continue
                result.answered += 1
                result.right += mark
                chosen = chosen_ids(result.item, choices[result.item.id])
                if chosen is None:
                    result.others += 1
                else:
                    result.counts[answer_label(result.item, chosen)] += 1
            answered = sum(m is not None for m in marks)
            scores.append((self.name(record["participant"]), sum(bool(m) for m in marks), answered))
            if answered == len(items):
                complete_rows.append([1.0 if m else 0.0 for m in marks])
        analysed = len(complete_rows) >= MIN_FOR_ANALYSIS
        for result in items:
            result.flags = self._flags(result, complete_rows, analysed)
        scores.sort(key=lambda row: row[0])
        return QuizResult(quiz, items, scores, unusable, len(complete_rows), analysed)

    @staticmethod
    def _flags(result: QuizItemResult, rows: list[list[float]], analysed: bool) -> list[str]:
        if not analysed:
            return []
        index = result.number - 1
        item_marks = [row[index] for row in rows]
        rest = [sum(row) - row[index] for row in rows]
        result.discrimination = pearson(item_marks, rest)
        share = statistics.fmean(item_marks)
        flags = []
        if share < HARD:
            flags.append(_("almost nobody right: check the key and the wording"))
        if share > EASY:
            flags.append(_("almost everybody right: it tells little"))
        if result.discrimination is not None and result.discrimination < WEAK:
            flags.append(
                _("those who did well on the rest did not do better here: check the wording")
                if result.discrimination >= 0
                else _("those who did well on the rest did worse here: check the key and wording")
            )
        wrong = result.common_wrong()
        if wrong and wrong[1] > result.right:
            flags.append(
                _("a wrong answer was chosen more often than the right one ('{answer}')").format(
                    answer=wrong[0]
                )
            )
        return flags

    def quizzes(self) -> list[QuizResult]:
        """Every quiz of the content that has answers, and the knowledge checks."""
        return [self.quiz(a) for a in self.activities if isinstance(a, content.Quiz)]

    # scenarios -----------------------------------------------------------------------------

    def scenario(self, scenario: content.Scenario) -> ScenarioResult:
        """One scenario's results: right classifications, answers given, misread elements."""
        classified: Counter = Counter()
        misread: Counter = Counter()
        right = answered = 0
        for record in self.records_of(scenario.activity_id, scenario.kind):
            answer = record["answer"]
            given = answer.get("classification")
            answered += 1
            classified[given if given in CLASSIFICATION_LABELS else ANOTHER_ANSWER] += 1
            right += given == scenario.classification
            ticked = {e for e in answer.get("elements", []) if isinstance(e, str)}
            for key in MARKED_ELEMENTS:
                if key in scenario.either_way:
                    continue
                if (key in ticked) != scenario.elements[key]:
                    misread[key] += 1
        classifications = [
            (classification_label(key), classified[key])
            for key in CLASSIFICATION_LABELS
            if classified[key]
        ]
        if classified[ANOTHER_ANSWER]:
            classifications.append((another_answer(), classified[ANOTHER_ANSWER]))
        elements = [
            ElementMisread(
                key,
                element_name(key),
                scenario.elements[key],
                count,
                explain_element(scenario, key),
            )
            for key, count in sorted(misread.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return ScenarioResult(scenario, answered, right, classifications, elements)

    def scenarios(self) -> list[ScenarioResult]:
        """Every scenario of the content, in content order."""
        return [self.scenario(a) for a in self.activities if isinstance(a, content.Scenario)]

    # polls ---------------------------------------------------------------------------------

    def poll(self, poll: content.Poll, round_number: int = 1) -> PollResult:
        """One round of a poll."""
        from workshop_lib.responses.controls import round_activity

        chosen = Counter(
            r["answer"].get("choice") if isinstance(r["answer"], dict) else None
            for r in self.records_of(round_activity(poll.activity_id, round_number), poll.kind)
        )
        counts = [(value_label(poll, value), chosen.pop(value, 0)) for value in option_values(poll)]
        return PollResult(poll, round_number, counts, sum(chosen.values()))

    def poll_rounds(self, poll: content.Poll) -> list[int]:
        """The rounds of a poll that have answers (the first round always)."""
        rounds = {1}
        for activity, kind in self.latest:
            base, number = split_round(activity)
            if base == poll.activity_id and kind == poll.kind:
                rounds.add(number)
        return sorted(rounds)

    def polls(self) -> list[PollResult]:
        """Every round of every poll."""
        return [
            self.poll(a, n)
            for a in self.activities
            if isinstance(a, content.Poll)
            for n in self.poll_rounds(a)
        ]

    # checklist -----------------------------------------------------------------------------

    def checklist(self, checklist: content.Checklist) -> ChecklistResult:
        """The checklist's matrix overall and by country, its countries and status notes."""
        rows: list[tuple[str, str]] = []
        status_ids = []
        for number, question in enumerate(checklist.questions, start=1):
            if question.answer == "country-status":
                status_ids.append(question.id)
                continue
            if question.items:
                rows += [
                    (f"{question.id}.{i.id}", f"{number}. {question.text} {i.text}")
                    for i in question.items
                ]
            else:
                rows.append((question.id, f"{number}. {question.text}"))
        records = self.records_of(checklist.activity_id, checklist.kind)
        overall = self._matrix(checklist, rows, records)
        grouped: dict[str, list[dict]] = defaultdict(list)
        notes = []
        by_row: dict[str, list[tuple[str, str, str]]] = {key: [] for key, _ in rows}
        for record in records:
            for key in by_row:
                row = record["answer"].get(key)
                note = row.get("note") if isinstance(row, dict) else ""
                if isinstance(note, str) and note.strip():
                    who = record["participant"]
                    by_row[key].append((self.name(who), self.country_name(who), note))
            code = self.country_of.get(record["participant"])
            if code:
                grouped[code].append(record)
            for key in status_ids:
                row = record["answer"].get(key)
                note = row.get("note") if isinstance(row, dict) else ""
                if isinstance(note, str) and note.strip():
                    notes.append(
                        (self.name(record["participant"]), self.country_name(record["participant"]),
                         note)
                    )  # fmt: skip
        countries = sorted(
            ((code, display_name(code), len(group)) for code, group in grouped.items()),
            key=lambda row: (-row[2], row[1]),
        )
        by_country = {code: self._matrix(checklist, rows, grouped[code]) for code, *_ in countries}
        question = next((q.text for q in checklist.questions if q.answer == "country-status"), "")
        row_notes = [(label, sorted(by_row[key])) for key, label in rows if by_row[key]]
        return ChecklistResult(
            checklist, question, overall, by_country, countries, sorted(notes), row_notes
        )

    @staticmethod
    def _matrix(checklist, rows, records) -> ChecklistMatrix:
        scale = option_values(checklist)
        counts = {key: Counter() for key, _text in rows}
        for record in records:
            for key, _text in rows:
                row = record["answer"].get(key)
                value = row.get("answer") if isinstance(row, dict) else None
                if isinstance(value, str) and value:
                    counts[key][value if value in scale else ANOTHER_ANSWER] += 1
        labels = tuple(value_label(checklist, value) for value in scale)
        return ChecklistMatrix(rows, scale, counts, len(records), labels)

    def checklists(self) -> list[ChecklistResult]:
        """The checklist (there is one)."""
        return [self.checklist(a) for a in self.activities if isinstance(a, content.Checklist)]

    # notes ---------------------------------------------------------------------------------

    def notes(self, prompt: content.Prompt) -> list[Note]:
        """Every non-empty note to one prompt, newest first."""
        found = [
            Note(
                self.name(r["participant"]),
                self.country_name(r["participant"]),
                r["answer"],
                r["last_saved"],
            )
            for r in self.records_of(prompt.activity_id, prompt.kind)
            if isinstance(r["answer"], str) and r["answer"].strip()
        ]
        return sorted(found, key=lambda n: (n.last_saved, n.name), reverse=True)

    def prompts(self) -> list[content.Prompt]:
        """Every prompt of the content."""
        return [a for a in self.activities if isinstance(a, content.Prompt)]

    # knowledge gain ------------------------------------------------------------------------

    def knowledge_gain(self) -> KnowledgeGain | None:
        """The knowledge check before and after, matched by participant; None without one."""
        from workshop_lib.exercises.knowledge_check import load_knowledge_check

        try:
            check = load_knowledge_check()
        except content.ContentError:
            return None
        before_quiz, after_quiz = check.quiz("before"), check.quiz("after")
        marks = {}
        for when, quiz in (("before", before_quiz), ("after", after_quiz)):
            marks[when] = {}
            for record in self.records_of(quiz.activity_id, quiz.kind):
                found = quiz_marks(quiz, record["answer"])
                if found is not None and all(m is not None for m in found):
                    marks[when][record["participant"]] = [bool(m) for m in found]
        both = sorted(set(marks["before"]) & set(marks["after"]))
        matched = sorted(
            (self.name(p), sum(marks["before"][p]), sum(marks["after"][p])) for p in both
        )
        items = []
        for index, item in enumerate(check.items):
            shares = []
            for when in ("before", "after"):
                rows = [marks[when][p][index] for p in both]
                shares.append(statistics.fmean(rows) if rows else None)
            items.append(GainItem(item.question, *shares))
        return KnowledgeGain(
            check.title,
            len(check.items),
            matched,
            len(set(marks["before"]) - set(both)),
            len(set(marks["after"]) - set(both)),
            items,
        )


def status_country(checklist: content.Checklist, answer: object) -> str:
    """The ISO code at the start of the checklist's country-status answer, when it is one."""
    if not isinstance(answer, dict):
        return ""
    for question in checklist.questions:
        if question.answer != "country-status":
            continue
        row = answer.get(question.id)
        text = row.get("answer") if isinstance(row, dict) else None
        found = STATUS_CODE.match(text) if isinstance(text, str) else None
        if found and known_code(found.group(1)):
            return found.group(1)
    return ""


def explain_element(scenario: content.Scenario, key: str) -> str:
    """What to explain about one element of a scenario: the content's note on it, else what
    the facts show and the provision."""
    if key in scenario.element_notes:
        return scenario.element_notes[key]
    label, source = element_words(key)
    sentence = (
        _("In these facts it is present: {element} ({source}).")
        if scenario.elements[key]
        else _("In these facts it is absent: {element} ({source}).")
    )
    return sentence.format(element=label, source=source)


def answer_in_words(activity: content.Activity | None, answer: object) -> str:
    """A participant's answer in the trainer's words (option labels, not ids), for the
    exports; '' when the activity is not known."""
    if activity is None:
        return ""
    if isinstance(activity, content.Quiz):
        choices = answer.get("choices") if isinstance(answer, dict) else None
        if not isinstance(choices, dict):
            return ""
        parts = []
        for number, item in enumerate(activity.items, start=1):
            chosen = chosen_ids(item, choices.get(item.id))
            if chosen is None:
                continue
            line = (
                _("{number}. {answer} (right)")
                if chosen == item.correct_ids()
                else _("{number}. {answer} (wrong)")
            )
            parts.append(line.format(number=number, answer=answer_label(item, chosen)))
        return "; ".join(parts)
    if isinstance(activity, content.Scenario) and isinstance(answer, dict):
        label = classification_label(answer.get("classification"))
        elements = answer.get("elements", [])
        ticked = [
            element_name(e)
            for e in (elements if isinstance(elements, list) else [])
            if isinstance(e, str) and e in ELEMENT_NAMES
        ]
        if not (ticked and label):
            return label
        return _("{classification}; elements ticked: {elements}").format(
            classification=label, elements=", ".join(ticked)
        )
    if isinstance(activity, content.Poll) and isinstance(answer, dict):
        choice = answer.get("choice")
        return value_label(activity, choice) if choice in option_values(activity) else ""
    if isinstance(activity, content.Prompt) and isinstance(answer, str):
        return answer
    if isinstance(activity, content.Checklist) and isinstance(answer, dict):
        parts = []
        for number, question in enumerate(activity.questions, start=1):
            keys = [(f"{question.id}.{i.id}", i.text) for i in question.items] or [
                (question.id, "")
            ]
            for key, sub in keys:
                row = answer.get(key)
                value = row.get("answer") if isinstance(row, dict) else None
                if isinstance(value, str) and value:
                    where = f"{number}{' ' + sub if sub else ''}"
                    shown = (
                        value_label(activity, value) if value in option_values(activity) else value
                    )
                    parts.append(_("{question}: {answer}").format(question=where, answer=shown))
        return "; ".join(parts)
    return ""


def activity_index() -> dict[str, content.Activity]:
    """Every activity by its id (a later round of a poll finds its poll through
    `split_round`)."""
    return {a.activity_id: a for a in trainer_activities()}


def find_activity(index: dict[str, content.Activity], activity_id: str):
    """(activity, round) for an activity id of a record, or (None, 1)."""
    if activity_id in index:
        return index[activity_id], 1
    base, number = split_round(activity_id)
    found = index.get(base)
    return (found, number) if isinstance(found, content.Poll) else (None, 1)
