"""Quiz: single choice, multiple choice and true/false items, checked together, with feedback
per question (right or not, why, and the legal source), a score, and retries."""

from __future__ import annotations

import html

from workshop_lib.exercises.content import Quiz, QuizItem
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import Exercise, verdict_html
from workshop_lib.exercises.widgets.room import say_if_closed
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.messages import Message
from workshop_lib.responses.session import SaveResult, Session

MULTIPLE_HINT = N_("(choose all that apply)")
HELD_BACK = N_(
    "Your answers are saved. The same questions come back at the end of the session, with the "
    "answers explained."
)


def question_text(item: QuizItem) -> str:
    """The question as shown, live and as text: a multiple-choice question says once that
    several answers may be chosen (the content need not, and is not repeated if it does)."""
    hint = _(MULTIPLE_HINT)
    question = item.question.lower().replace(".)", ")")
    if item.type != "multiple" or hint.lower() in question or MULTIPLE_HINT in question:
        return item.question
    return f"{item.question} {hint}"


class QuestionInput:
    """The control for one question: radio buttons, or one checkbox per option."""

    def __init__(self, number: int, item: QuizItem):
        self.item = item
        self.number = number
        if item.type == "multiple":
            self.boxes = {
                option_id: lean.Checkbox(
                    value=False,
                    description=label,
                    indent=False,
                    layout=lean.layout(width="auto"),
                )
                for label, option_id in item.choices()
            }
            self.control = lean.VBox(list(self.boxes.values()))
        else:
            self.radio = lean.RadioButtons(
                options=item.choices(),
                value=None,
                description=_("Q{number}").format(number=number),
                layout=lean.layout(width="auto"),
            )
            self.control = self.radio
        self.feedback = lean.HTML()
        question = lean.HTML(
            f"<p><strong>{number}. {html.escape(question_text(item))}</strong></p>"
        )
        self.box = lean.VBox([question, self.control, self.feedback])

    @property
    def value(self) -> str | list[str] | None:
        """The chosen option id (a sorted list for multiple choice), or None."""
        if self.item.type == "multiple":
            chosen = sorted(k for k, box in self.boxes.items() if box.value)
            return chosen or None
        return self.radio.value

    @value.setter
    def value(self, chosen: str | list[str] | None) -> None:
        if self.item.type == "multiple":
            for option_id, box in self.boxes.items():
                box.value = option_id in (chosen or [])
        else:
            valid = {option_id for _, option_id in self.item.choices()}
            self.radio.value = chosen if chosen in valid else None

    def is_right(self) -> bool:
        """True when the chosen options are exactly the correct ones."""
        chosen = self.value
        chosen_set = set(chosen) if isinstance(chosen, list) else {chosen}
        return chosen_set == set(self.item.correct_ids())

    def show_feedback(self) -> bool:
        """Show the verdict, explanation and source; return whether the answer is right."""
        right = self.is_right()
        answers = [label for label, i in self.item.choices() if i in self.item.correct_ids()]
        headline = _("The answer: {answers}.").format(answers="; ".join(answers))
        self.feedback.value = verdict_html(right, headline, self.item.explanation, self.item.source)
        return right


class QuizWidget(Exercise):
    """A whole quiz: every question, one Check button, a score, and Try again."""

    def __init__(self, quiz: Quiz, session: Session | None = None, reveal_answers: bool = True):
        super().__init__(quiz.activity_id, session, quiz.kind)
        self.quiz = quiz
        self.reveal_answers = reveal_answers  # False: saved without saying which are right
        self.questions = [QuestionInput(n, item) for n, item in enumerate(quiz.items, start=1)]
        self.check_button = lean.Button(
            description=_("Check my answers"),
            button_style="primary",
            icon="check",
            tooltip=_("Check every answer and save them"),
        )
        self.retry_button = lean.Button(
            description=_("Try again"),
            icon="refresh",
            tooltip=_("Hide the feedback and answer again"),
        )
        self.score = lean.HTML()
        self.check_button.on_click(lambda _click: self.check())
        self.retry_button.on_click(lambda _click: self.retry())
        title = lean.HTML(f"<h4>{html.escape(quiz.title)}</h4>")
        buttons = lean.HBox([self.check_button, self.retry_button])
        self.root = lean.VBox(
            [title] + [q.box for q in self.questions] + [buttons, self.score, self.status]
        )
        self._restore()
        say_if_closed(self)

    def _restore(self) -> None:
        saved = self.saved_answer()
        if not isinstance(saved, dict):
            return
        for question in self.questions:
            question.value = saved.get("choices", {}).get(question.item.id)
        if all(q.value is not None for q in self.questions):
            self._show_results()
        record = self.session.load(self.activity) or {}
        if not self.reveal_answers:
            self.show_status(_("Welcome back: your answers are saved."))
            return
        self.show_status(
            _(
                "Welcome back: your last check scored {score} of {total} ({attempts} "
                "attempt(s)). Change answers and check again if you like."
            ).format(
                score=saved.get("score"),
                total=saved.get("total"),
                attempts=record.get("attempts", 1),
            )
        )

    def _show_results(self) -> int:
        if not self.reveal_answers:
            self.score.value = f"<p>{html.escape(_(HELD_BACK))}</p>"
            return sum(q.is_right() for q in self.questions)
        score = sum(q.show_feedback() for q in self.questions)
        words = _("Score: {score} of {total}").format(score=score, total=len(self.questions))
        self.score.value = f"<p><strong>{html.escape(words)}</strong></p>"
        return score

    def check(self) -> SaveResult | None:
        """Check every answer, show feedback and the score, and save (one attempt)."""
        unanswered = [str(q.number) for q in self.questions if q.value is None]
        if unanswered:
            self.show_status(
                _(
                    "Please answer every question before checking: question(s) {numbers} "
                    "still need an answer."
                ).format(numbers=", ".join(unanswered)),
                ok=False,
            )
            return None
        score = self._show_results()
        answer = {
            "choices": {q.item.id: q.value for q in self.questions},
            "score": score,
            "total": len(self.questions),
        }
        return self.save(answer, new_attempt=True)

    def retry(self) -> None:
        """Hide the feedback and score so the participant can answer again."""
        for question in self.questions:
            question.feedback.value = ""
        self.score.value = ""
        self.show_status(_("Change any answer, then check again."))

    def plain_text(self) -> str:
        lines = [self.quiz.title]
        for question in self.questions:
            item = question.item
            lines.append(f"{question.number}. {question_text(item)}")
            box = "[ ]" if item.type == "multiple" else "( )"
            lines += [f"   {box} {label}" for label, _option in item.choices()]
        check, again = _("Check my answers"), _("Try again")
        lines.append(f"[{check}] [{again}]")
        return "\n".join(lines)


def knowledge_check(when: str, session: Session | None = None) -> QuizWidget | Message:
    """The knowledge check `before` the session (answers saved, not yet explained) or `after`
    it (explained as in any quiz); a content problem is one sentence."""
    from workshop_lib.exercises.content import ContentError
    from workshop_lib.exercises.knowledge_check import load_knowledge_check

    try:
        quiz = load_knowledge_check().quiz(when)
    except ContentError as exc:
        return Message(_("This exercise could not be loaded: {problem}").format(problem=exc))
    return QuizWidget(quiz, session, reveal_answers=when == "after")
