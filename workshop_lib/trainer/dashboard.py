"""The trainer dashboard: the cohort's quiz scores, scenario answers, checklist answers and poll
results as charts, discussion notes grouped under each prompt, export links and a refresh
button. Participants are pseudonymised by default so the screen can be projected to the room.
With no real answers yet, it shows a generated demo cohort and says so."""

from __future__ import annotations

import base64
import html
from collections import Counter, defaultdict

import ipywidgets as widgets
import pandas as pd

from workshop_lib.config import responses_location
from workshop_lib.exercises import content
from workshop_lib.exercises.widgets.base import mimebundle
from workshop_lib.exercises.widgets.export import download_link
from workshop_lib.facts.charts import Chart, bar_chart, stacked_chart
from workshop_lib.responses.answers import flatten_answer
from workshop_lib.responses.cohort import CohortAnswers, load_cohort
from workshop_lib.trainer.demo import demo_records


def pseudonyms(participants: list[str]) -> dict[str, str]:
    """Stable labels 'Participant 01', 'Participant 02'... in the order of the sorted ids."""
    ordered = sorted(set(participants))
    width = max(2, len(str(len(ordered))))
    return {p: f"Participant {n:0{width}d}" for n, p in enumerate(ordered, start=1)}


def _img(chart: Chart) -> str:
    payload = base64.b64encode(chart.png()).decode("ascii")
    return f'<img src="data:image/png;base64,{payload}" alt="{html.escape(chart.description)}">'


class CohortSummary:
    """The numbers behind the dashboard, from one cohort's records."""

    def __init__(self, answers: CohortAnswers, names: dict[str, str]):
        self.answers = answers
        self.names = names
        self.by_activity: dict[str, list[dict]] = defaultdict(list)
        for record in answers.records:
            self.by_activity[record["activity"]].append(record)

    def quiz_scores(self, quiz_id: str) -> pd.Series:
        """How many participants reached each score."""
        scores = Counter(r["answer"].get("score") for r in self.by_activity.get(quiz_id, []))
        return pd.Series(dict(sorted(scores.items())), dtype="int64")

    def choice_counts(self, activity: str, field: str) -> pd.Series:
        """How often each answer was given to one field of one activity."""
        counts = Counter(
            flatten_answer(r["answer"]).get(field) for r in self.by_activity.get(activity, [])
        )
        counts.pop(None, None)
        counts.pop("", None)
        return pd.Series(dict(counts.most_common()), dtype="int64")

    def notes(self, activity: str) -> list[tuple[str, str]]:
        """(name, note) for every non-empty note of one prompt."""
        return sorted(
            (self.names.get(r["participant"], r["participant"]), str(r["answer"]))
            for r in self.by_activity.get(activity, [])
            if str(r["answer"]).strip()
        )


class Dashboard:
    """The dashboard widget: reads the responses folder on creation and on Refresh."""

    def __init__(self, folder: str = "", cohort: str = ""):
        self.folder = responses_location(folder)
        self.cohort = cohort or None
        self.show_names = widgets.Checkbox(
            value=False, description="Show participant ids", indent=False
        )
        self.refresh_button = widgets.Button(
            description="Refresh", icon="refresh", tooltip="Read the answers again"
        )
        self.body = widgets.HTML()
        self.refresh_button.on_click(lambda _: self.refresh())
        self.show_names.observe(lambda _: self.refresh(), names="value")
        self.root = widgets.VBox([widgets.HBox([self.refresh_button, self.show_names]), self.body])
        self.summary_text = ""
        self.refresh()

    def _load(self) -> tuple[CohortAnswers, str]:
        try:
            answers = load_cohort(self.folder, self.cohort)
        except OSError as exc:
            return CohortAnswers(demo_records(), []), (
                f"The responses folder {self.folder} cannot be read ({exc.strerror}): "
                "showing a generated demo cohort instead."
            )
        if not answers.records:
            return CohortAnswers(demo_records(), answers.skipped), (
                "No answers yet: showing a generated demo cohort (12 invented participants)."
            )
        return answers, ""

    def refresh(self) -> None:
        """Read the answers again and redraw everything."""
        answers, notice = self._load()
        people = [r["participant"] for r in answers.records]
        names = {p: p for p in people} if self.show_names.value else pseudonyms(people)
        summary = CohortSummary(answers, names)
        parts, lines = [], []
        if notice:
            parts.append(f"<p role='status'><strong>{html.escape(notice)}</strong></p>")
            lines.append(notice)
        count = f"{len(set(people))} participant(s), {len(answers.records)} answer(s)."
        parts.append(f"<p>{count}</p>")
        lines.append(count)
        if answers.skipped:
            skipped = "; ".join(str(s) for s in answers.skipped)
            parts.append(f"<p>Files that could not be read: {html.escape(skipped)}</p>")
        for chart in self._charts(summary):
            parts.append(_img(chart))
            lines.append(chart.description)
        parts.append(self._notes_html(summary))
        parts.append(self._exports(answers, names))
        self.body.value = "".join(parts)
        self.summary_text = "\n".join(lines)

    def _charts(self, summary: CohortSummary) -> list[Chart]:
        charts = []
        for quiz_id in content.all_quiz_ids():
            quiz = content.load_quiz(quiz_id)
            charts.append(
                bar_chart(summary.quiz_scores(quiz_id), f"{quiz.title}: scores", "participants")
            )
        for set_id in content.all_scenario_set_ids():
            scenario_set = content.load_scenarios(set_id)
            table = pd.DataFrame(
                {
                    "as the facts show": [
                        summary.choice_counts(f"{set_id}.{s.id}", "correct").get(True, 0)
                        for s in scenario_set.scenarios
                    ],
                    "otherwise": [
                        summary.choice_counts(f"{set_id}.{s.id}", "correct").get(False, 0)
                        for s in scenario_set.scenarios
                    ],
                },
                index=[s.title for s in scenario_set.scenarios],
            )
            charts.append(
                stacked_chart(table, "Scenarios: classified as the facts show?", "participants")
            )
        for poll in content.load_polls():
            counts = summary.choice_counts(f"poll.{poll.id}", "choice")
            charts.append(bar_chart(counts, f"Poll: {poll.question}", "participants"))
        checklist = content.load_checklist()
        rows = {}
        for question in checklist.questions:
            keys = [(f"{question.id}.{i.id}", i.text) for i in question.items]
            for key, text in keys or [(question.id, question.text)]:
                counts = summary.choice_counts(checklist.id, f"{key}.answer")
                rows[text[:60]] = [int(counts.get(option, 0)) for option in checklist.scale]
        table = pd.DataFrame.from_dict(rows, orient="index", columns=list(checklist.scale))
        charts.append(stacked_chart(table, "Post-session checklist answers", "participants"))
        return charts

    @staticmethod
    def _notes_html(summary: CohortSummary) -> str:
        parts = ["<h3>Discussion notes</h3>"]
        for prompt in content.load_prompts():
            parts.append(f"<h4>{html.escape(prompt.prompt)}</h4>")
            notes = summary.notes(f"note.{prompt.id}")
            parts += [
                f"<p><em>{html.escape(who)}</em>: {html.escape(text)}</p>" for who, text in notes
            ] or ["<p>No notes yet.</p>"]
        return "".join(parts)

    @staticmethod
    def _exports(answers: CohortAnswers, names: dict[str, str]) -> str:
        frame = answers.frame()
        if not frame.empty:
            frame["participant"] = frame["participant"].map(names)
            frame = frame.drop(columns=["display_name"])
        link = download_link(
            frame.to_csv(index=False),
            "cohort-answers.csv",
            "text/csv",
            "Export the cohort's answers (CSV)",
        )
        return f"<p>{link}</p>"

    def _repr_mimebundle_(self, **kwargs):
        static = f"<pre>{html.escape(self.summary_text)}</pre>"
        return mimebundle(self.root, "Trainer dashboard\n" + self.summary_text, static, **kwargs)


def dashboard(responses_dir_parameter: str = "", cohort: str = "") -> Dashboard:
    """The trainer dashboard for the cohort's answers."""
    return Dashboard(responses_dir_parameter, cohort)
