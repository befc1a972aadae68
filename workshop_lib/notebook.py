"""One call per exercise, for notebook cells: `quiz("untoc-basics")`, `scenarios("tip-or-som")`,
`elements_check()`, `discussion("local-setting")`, `checklist()`, `poll("hardest-challenge")`,
`country_picker(country)`, `my_answers()`. Each returns a widget that displays itself; a
content problem is shown as one sentence instead of a traceback."""

from __future__ import annotations

from workshop_lib.errors import show_in_notebooks
from workshop_lib.exercises import content
from workshop_lib.exercises.content import ContentError
from workshop_lib.exercises.widgets.checklist import ChecklistWidget
from workshop_lib.exercises.widgets.country import CountryPicker
from workshop_lib.exercises.widgets.elements_check import ElementsCheck
from workshop_lib.exercises.widgets.export import MyAnswers
from workshop_lib.exercises.widgets.notes import DiscussionNote
from workshop_lib.exercises.widgets.poll import PollWidget
from workshop_lib.exercises.widgets.quiz import QuizWidget, knowledge_check
from workshop_lib.exercises.widgets.scenarios import ScenarioCard, ScenarioSetWidget
from workshop_lib.facts.challenges import challenge_area, challenge_trainer_notes
from workshop_lib.facts.session_plan import session_agenda, session_plan
from workshop_lib.i18n.catalog import _, use
from workshop_lib.messages import Message
from workshop_lib.responses import session
from workshop_lib.responses.session import current

__all__ = [
    "challenge_area",
    "challenge_trainer_notes",
    "checklist",
    "country_picker",
    "discussion",
    "elements_check",
    "knowledge_check",
    "my_answers",
    "poll",
    "quiz",
    "scenario",
    "scenarios",
    "session_agenda",
    "session_plan",
    "start",
]


def start(
    notebook: str,
    country: str = "",
    cohort: str = "",
    participant: str = "",
    responses_dir_parameter: str = "",
    lang: str = "en",
) -> session.Session:
    """Start the notebook: speak `lang` (its parameter), then start the participant's session
    (see `workshop_lib.responses.session.start`). A setting that cannot work, a language
    among them, is one sentence in the notebook."""
    show_in_notebooks()
    use(lang)
    return session.start(notebook, country, cohort, participant, responses_dir_parameter)


def _content_or_message(build):
    try:
        return build()
    except ContentError as exc:
        return Message(_("This exercise could not be loaded: {problem}").format(problem=exc))


def quiz(quiz_id: str) -> QuizWidget | Message:
    """The quiz `data/exercises/quizzes/<quiz_id>.yaml`."""
    return _content_or_message(lambda: QuizWidget(content.load_quiz(quiz_id)))


def scenarios(set_id: str) -> ScenarioSetWidget | Message:
    """Every scenario of `data/exercises/scenarios/<set_id>.yaml`."""
    return _content_or_message(lambda: ScenarioSetWidget(content.load_scenarios(set_id)))


def scenario(set_id: str, scenario_id: str) -> ScenarioCard | Message:
    """One scenario of a set, for a notebook section that discusses just that case."""
    return _content_or_message(lambda: ScenarioCard(content.load_scenario(set_id, scenario_id)))


def elements_check() -> ElementsCheck:
    """The decision aid: tick the facts, see which definition they meet."""
    return ElementsCheck()


def discussion(prompt_id: str) -> DiscussionNote | Message:
    """A discussion note under the prompt `prompt_id` of `data/exercises/prompts.yaml`."""
    return _content_or_message(lambda: DiscussionNote(content.load_prompt(prompt_id)))


def checklist() -> ChecklistWidget | Message:
    """The post-session checklist; its country question starts from the session's country,
    else from the country the participant chose last (on this page or an earlier one)."""
    session = current()
    if not session.country:
        session.country = saved_country()
    return _content_or_message(lambda: ChecklistWidget(content.load_checklist()))


def poll(poll_id: str) -> PollWidget | Message:
    """The poll `poll_id` of `data/exercises/polls.yaml`."""
    return _content_or_message(lambda: PollWidget(content.load_poll(poll_id)))


COUNTRY_ACTIVITY = "country"  # the activity id the country picker saves under


def saved_country() -> str:
    """The country this participant chose last on any page of this cohort (the country picker
    saves it on each page), or "" when they have not chosen one yet."""
    chosen = [
        r
        for r in current().my_answers()
        if r.get("activity") == COUNTRY_ACTIVITY and isinstance(r.get("answer"), dict)
    ]
    chosen.sort(key=lambda r: r.get("last_saved") or r.get("kept_in_memory_at") or "")
    return str(chosen[-1]["answer"].get("country", "")) if chosen else ""


def country_picker(country: str = "") -> CountryPicker:
    """The country card with a dropdown, starting from `country` (a name or code); when that
    is empty, from the country the participant chose last, on this page or an earlier one."""
    if isinstance(country, str) and not country.strip():
        country = saved_country()
    return CountryPicker(country)


def my_answers() -> MyAnswers:
    """Links to download the participant's own answers."""
    return MyAnswers()
