"""The knowledge check (`data/exercises/knowledge-check.yaml`): the same short items before the
session and after it, so that the trainer's report can show what the cohort learnt.

The file names the notebook that shows each check (`before`, `after`); loading turns it into
two quizzes of the content model, `knowledge-check.before` and `knowledge-check.after`, each
filed under its own notebook, with the same items. Before the session the widget saves the
answers without showing which are right; after it, every answer is explained as in any quiz.
"""

from __future__ import annotations

from workshop_lib.exercises.content import ContentError, Quiz, QuizItem, _read_localized
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.yaml_files import StrictModel

FILE_NAME = "knowledge-check.yaml"
WHEN = ("before", "after")
TITLES = {"before": N_("before the session"), "after": N_("after the session")}


class KnowledgeCheck(StrictModel):
    """The knowledge check as its file holds it."""

    id: str
    title: str
    before: str
    after: str
    items: tuple[QuizItem, ...]

    def quiz(self, when: str) -> Quiz:
        """The check as a quiz saved under `<id>.<when>`, filed under its notebook."""
        if when not in WHEN:
            raise ContentError(
                _(
                    "The knowledge check is taken 'before' or 'after' the session, not '{when}'."
                ).format(when=when)
            )
        return Quiz(
            id=f"{self.id}.{when}",
            notebook=self.before if when == "before" else self.after,
            title=f"{self.title} ({_(TITLES[when])})",
            items=self.items,
        )


def load_knowledge_check() -> KnowledgeCheck:
    """The knowledge check in the current language, validated (ContentError naming the file
    and the rule)."""
    check = _read_localized(FILE_NAME, KnowledgeCheck)
    if check.before == check.after:
        raise ContentError(f"{FILE_NAME}: the checks before and after must be in two notebooks")
    return check


def knowledge_check_quizzes() -> tuple[Quiz, Quiz]:
    """The check before the session and the check after it, as quizzes."""
    check = load_knowledge_check()
    return check.quiz("before"), check.quiz("after")
