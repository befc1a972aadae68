"""The trainer's session plan (`data/session_plan.yaml`): the agenda items in order, with minutes
that add up, the steps of each notebook, which exercises are done in the session, which only if
time allows, and which after it, and what to drop when time runs short.

`session_agenda()` is the participants' view (the agenda and the minutes); `session_plan()` the
trainer's (everything). Both render as HTML and as plain text. The file is validated on load,
so the handout and the notebooks can rely on it.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from pydantic import model_validator

from workshop_lib.errors import WorkshopError
from workshop_lib.messages import Message
from workshop_lib.paths import data_dir
from workshop_lib.yaml_files import StrictModel, read_yaml_model

__all__ = [
    "AgendaView",
    "PlanView",
    "SessionPlan",
    "SessionPlanError",
    "load_session_plan",
    "session_agenda",
    "session_plan",
]


class SessionPlanError(WorkshopError, ValueError):
    """The session plan is missing, unreadable or breaks a rule."""


class Step(StrictModel):
    minutes: int
    what: str


class Item(StrictModel):
    notebook: str
    agenda_item: str
    in_description: bool  # one of the four agenda items of the session description
    minutes: int
    short_minutes: int
    steps: tuple[Step, ...]
    in_session: tuple[str, ...]
    optional: tuple[str, ...]
    homework: tuple[str, ...]
    when_short: str

    @model_validator(mode="after")
    def _adds_up(self):
        if sum(s.minutes for s in self.steps) != self.minutes:
            raise ValueError(f"{self.notebook}: the steps do not add up to {self.minutes} minutes")
        if not 0 <= self.short_minutes <= self.minutes:
            raise ValueError(f"{self.notebook}: short_minutes must be between 0 and minutes")
        return self

    def exercises(self) -> tuple[str, ...]:
        """Every exercise the item names, in-session, optional or homework."""
        return (*self.in_session, *self.optional, *self.homework)


class SessionPlan(StrictModel):
    title: str
    planned_minutes: int
    short_minutes: int
    length_note: str
    source: str
    items: tuple[Item, ...]

    @model_validator(mode="after")
    def _totals(self):
        if sum(i.minutes for i in self.items) != self.planned_minutes:
            raise ValueError(f"the items do not add up to {self.planned_minutes} minutes")
        if sum(i.short_minutes for i in self.items) != self.short_minutes:
            raise ValueError(f"the short timings do not add up to {self.short_minutes} minutes")
        named = [x for i in self.items for x in i.exercises()]
        if len(named) != len(set(named)):
            raise ValueError("an exercise is named more than once")
        return self


def _path() -> Path:
    return data_dir() / "session_plan.yaml"


@functools.cache
def _read(path: Path) -> SessionPlan:
    return read_yaml_model(path, SessionPlan, SessionPlanError, "session plan")


def load_session_plan() -> SessionPlan:
    """The validated session plan."""
    return _read(_path())


def _titles() -> dict[str, str]:
    """A readable name for every exercise id, from the exercise content."""
    from workshop_lib.exercises import content

    names = {}
    for activity in content.all_activities():
        name = getattr(activity, "title", None) or getattr(activity, "question", None)
        name = name or getattr(activity, "prompt", activity.activity_id)
        names[activity.activity_id] = f"{activity.kind} {activity.activity_id} ({name})"
    return names


e = html.escape


class AgendaView:
    """The agenda with its minutes, for everyone."""

    def __init__(self, plan: SessionPlan):
        self.plan = plan

    def __repr__(self) -> str:
        out = [f"Agenda ({self.plan.planned_minutes} minutes)"]
        for item in self.plan.items:
            out.append(f"- {item.notebook[:2]} {item.agenda_item}: {item.minutes} min")
        out.append(f"Total: {self.plan.planned_minutes} minutes")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{e(item.notebook[:2])}</td><td>{e(item.agenda_item)}</td>"
            f"<td>{item.minutes} min</td></tr>"
            for item in self.plan.items
        )
        return (
            '<table class="workshop-agenda"><thead><tr><th>Notebook</th><th>Agenda item</th>'
            f"<th>Time</th></tr></thead><tbody>{rows}</tbody><tfoot><tr><td></td>"
            f"<td><strong>Total</strong></td><td><strong>{self.plan.planned_minutes} min"
            "</strong></td></tr></tfoot></table>"
        )


class PlanView:
    """The whole plan, for the trainer."""

    def __init__(self, plan: SessionPlan):
        self.plan = plan

    def _lists(self, item: Item, names: dict[str, str]):
        for label, ids in (
            ("In the session", item.in_session),
            ("Optional (drop first)", item.optional),
            ("After the session (homework)", item.homework),
        ):
            if ids:
                yield label, [names.get(i, i) for i in ids]

    def __repr__(self) -> str:
        p, names = self.plan, _titles()
        out = [
            f"Session plan: {p.planned_minutes} minutes (short version {p.short_minutes})",
            p.length_note,
        ]
        for item in p.items:
            out.append(
                f"{item.notebook} - {item.agenda_item}: {item.minutes} min "
                f"(short: {item.short_minutes} min)"
            )
            out += [f"  {s.minutes} min: {s.what}" for s in item.steps]
            for label, entries in self._lists(item, names):
                out.append(f"  {label}: " + "; ".join(entries))
            out.append(f"  When short: {item.when_short}")
        out.append(f"Source: {p.source}")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        p, names = self.plan, _titles()
        parts = [
            f"<h4>Session plan: {p.planned_minutes} minutes "
            f"(short version: {p.short_minutes})</h4><p>{e(p.length_note)}</p>"
        ]
        for item in p.items:
            steps = "".join(f"<li>{s.minutes} min: {e(s.what)}</li>" for s in item.steps)
            lists = "".join(
                f"<p><em>{e(label)}:</em> {e('; '.join(entries))}</p>"
                for label, entries in self._lists(item, names)
            )
            parts.append(
                f"<h5>{e(item.notebook)}: {e(item.agenda_item)}, {item.minutes} min "
                f"(short: {item.short_minutes} min)</h5><ul>{steps}</ul>{lists}"
                f"<p><em>When short:</em> {e(item.when_short)}</p>"
            )
        parts.append(f"<p><small>Source: {e(p.source)}</small></p>")
        return "".join(parts)


def _view(build):
    try:
        return build(load_session_plan())
    except SessionPlanError as exc:
        return Message(f"The session plan could not be loaded: {exc}")


def session_agenda() -> AgendaView | Message:
    """The agenda with its minutes (for everyone)."""
    return _view(AgendaView)


def session_plan() -> PlanView | Message:
    """The whole session plan (for a cell tagged `trainer`)."""
    return _view(PlanView)
