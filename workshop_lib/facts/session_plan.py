"""The trainer's session plan (`data/session_plan.yaml`): the agenda items in order, with minutes
that add up, the steps of each notebook, which exercises are done in the session, which only if
time allows, and which after it, and what to drop when time runs short.

`session_agenda()` is the participants' view (the agenda and the minutes); `session_plan()` the
trainer's (everything). Both render as HTML and as plain text. The file is validated on load,
so the handout and the notebooks can rely on it. It is read in the current language
(`data/<code>/session_plan.yaml`, same notebooks and exercise ids), and the labels are shown in
that language.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from pydantic import model_validator

from workshop_lib.errors import WorkshopError
from workshop_lib.i18n.catalog import N_, _
from workshop_lib.i18n.localized import localized
from workshop_lib.messages import Message
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


# The kinds of exercise as the plan names them (the key is the stored kind).
KIND_NAMES = {
    "quiz": N_("quiz"),
    "scenario": N_("scenario"),
    "poll": N_("poll"),
    "note": N_("note"),
    "checklist": N_("checklist"),
}
LIST_LABELS = (
    N_("In the session"),
    N_("Optional (drop first)"),
    N_("After the session (homework)"),
)


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
    """The session plan in the current language (one cache entry per file)."""
    return localized("session_plan.yaml")


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
        kind = _(KIND_NAMES[activity.kind]) if activity.kind in KIND_NAMES else activity.kind
        names[activity.activity_id] = f"{kind} {activity.activity_id} ({name})"
    return names


e = html.escape


def _minutes(minutes: int) -> str:
    """'5 min' in the current language."""
    return _("{minutes} min").format(minutes=minutes)


def _step(step: Step) -> str:
    """'2 min: what is done' in the current language."""
    return _("{minutes} min: {step}").format(minutes=step.minutes, step=step.what)


def _label(label: str) -> str:
    """A label followed by a colon, as the current language writes it ('In the session:')."""
    return _("{label}:").format(label=label)


class AgendaView:
    """The agenda with its minutes, for everyone."""

    def __init__(self, plan: SessionPlan):
        self.plan = plan

    def __repr__(self) -> str:
        total = self.plan.planned_minutes
        out = [_("Agenda ({minutes} minutes)").format(minutes=total)]
        for item in self.plan.items:
            label = f"{item.notebook[:2]} {item.agenda_item}"
            entry = _("{label}: {entries}").format(label=label, entries=_minutes(item.minutes))
            out.append(f"- {entry}")
        out.append(_("Total: {minutes} minutes").format(minutes=total))
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{e(item.notebook[:2])}</td><td>{e(item.agenda_item)}</td>"
            f"<td>{e(_minutes(item.minutes))}</td></tr>"
            for item in self.plan.items
        )
        headers = "".join(f"<th>{e(h)}</th>" for h in (_("Notebook"), _("Agenda item"), _("Time")))
        total, total_label = _minutes(self.plan.planned_minutes), _("Total")
        return (
            f'<table class="workshop-agenda"><thead><tr>{headers}'
            f"</tr></thead><tbody>{rows}</tbody><tfoot><tr><td></td>"
            f"<td><strong>{e(total_label)}</strong></td><td><strong>{e(total)}"
            "</strong></td></tr></tfoot></table>"
        )


class PlanView:
    """The whole plan, for the trainer."""

    def __init__(self, plan: SessionPlan):
        self.plan = plan

    def _lists(self, item: Item, names: dict[str, str]):
        for label, ids in zip(
            LIST_LABELS, (item.in_session, item.optional, item.homework), strict=True
        ):
            if ids:
                yield _(label), [names.get(i, i) for i in ids]

    def __repr__(self) -> str:
        p, names = self.plan, _titles()
        out = [
            _("Session plan: {minutes} minutes (short version {short})").format(
                minutes=p.planned_minutes, short=p.short_minutes
            ),
            p.length_note,
        ]
        for item in p.items:
            out.append(
                _("{notebook} - {item}: {minutes} min (short: {short} min)").format(
                    notebook=item.notebook,
                    item=item.agenda_item,
                    minutes=item.minutes,
                    short=item.short_minutes,
                )
            )
            out += ["  " + _step(s) for s in item.steps]
            for label, entries in self._lists(item, names):
                out.append(
                    "  " + _("{label}: {entries}").format(label=label, entries="; ".join(entries))
                )
            out.append("  " + _("When short: {text}").format(text=item.when_short))
        out.append(_("Source: {source}").format(source=p.source))
        return "\n".join(out)

    def _repr_html_(self) -> str:
        p, names = self.plan, _titles()
        heading = _("Session plan: {minutes} minutes (short version: {short})").format(
            minutes=p.planned_minutes, short=p.short_minutes
        )
        parts = [f"<h4>{e(heading)}</h4><p>{e(p.length_note)}</p>"]
        when_short = _("When short:")
        for item in p.items:
            steps = "".join(f"<li>{e(_step(s))}</li>" for s in item.steps)
            lists = "".join(
                f"<p><em>{e(_label(label))}</em> {e('; '.join(entries))}</p>"
                for label, entries in self._lists(item, names)
            )
            title = _("{notebook}: {item}, {minutes} min (short: {short} min)").format(
                notebook=item.notebook,
                item=item.agenda_item,
                minutes=item.minutes,
                short=item.short_minutes,
            )
            parts.append(
                f"<h5>{e(title)}</h5><ul>{steps}</ul>{lists}"
                f"<p><em>{e(when_short)}</em> {e(item.when_short)}</p>"
            )
        source = _("Source: {source}").format(source=p.source)
        parts.append(f"<p><small>{e(source)}</small></p>")
        return "".join(parts)


def _view(build):
    try:
        return build(load_session_plan())
    except SessionPlanError as exc:
        return Message(_("The session plan could not be loaded: {error}").format(error=exc))


def session_agenda() -> AgendaView | Message:
    """The agenda with its minutes (for everyone)."""
    return _view(AgendaView)


def session_plan() -> PlanView | Message:
    """The whole session plan (for a cell tagged `trainer`)."""
    return _view(PlanView)
