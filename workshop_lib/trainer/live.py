"""The live room: one activity at a time, for projection, updated as answers arrive.

`live_room(responses_dir, cohort)` gives the trainer two widgets:

- `screen`, for the projector: the activity's title and question in large type, bars that
  grow as answers arrive (a poll's options in its current round, a scenario's
  classifications, one quiz question's options, one checklist question's answers), or a wall
  of notes for a prompt; a QR code and a short address that lead participants to the
  activity's notebook on the hub; the number of answers and the time of the last refresh. It
  is anonymous: no participant's id or name is ever on it, and every text is escaped.
- `controls`, for the trainer's own screen: which activity to show; lock and unlock it
  (participants' widgets say it is closed and save nothing); a new round of a poll (earlier
  answers stay); reveal a poll's result to the participants (the counts are published in the
  room's controls, since participants cannot read each other's answers); hide a note from the
  wall and show it again; participants' ids, only when the trainer asks, and only here.

A timer in the kernel (an asyncio task; JupyterLab keeps the kernel's event loop running)
refreshes every `interval` seconds without a click, and reads only what changed since the
last refresh (`workshop_lib.responses.watch`). The controls are kept in the response store
(`workshop_lib.responses.controls`), so every participant's kernel and every trainer sees them.
While an activity is locked its counts stay as they were when it was locked.

The join address is `WORKSHOP_HUB_PUBLIC_URL` (e.g. https://hub.example.org) followed by
JupyterHub's `/hub/user-redirect/` and the participant page of the activity's notebook; the QR
code is drawn here (segno), nothing is fetched from the internet.

Both speak the language chosen with `live_room(..., lang)`: every label, button and sentence,
the content's questions and options, and each stored answer by its label in that language
(answers are counted by their stored values, so participants answering in different languages
fill the same bars); the screen carries the language's `lang` and `dir`. A poll's result is
shared as stored values, which each participant's widget shows in their own language.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import html
import os
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass

import ipywidgets as widgets

from workshop_lib.config import ENV_HUB_PUBLIC_URL, responses_location
from workshop_lib.errors import ConfigurationError, WorkshopError, sentence
from workshop_lib.exercises import content
from workshop_lib.exercises.widgets import lean
from workshop_lib.exercises.widgets.base import mimebundle
from workshop_lib.i18n.catalog import N_, _, ngettext, use
from workshop_lib.responses import open_store
from workshop_lib.responses.controls import (
    ActivityControls,
    RoomResult,
    controls_for,
    round_activity,
)
from workshop_lib.responses.records import utc_now
from workshop_lib.responses.watch import watch
from workshop_lib.trainer.dashboard import pseudonyms
from workshop_lib.trainer.report import page_attributes
from workshop_lib.trainer.results import (
    ANOTHER_ANSWER,
    CLASSIFICATION_LABELS,
    another_answer,
    answer_label,
    chosen_ids,
    classification_label,
    option_values,
    trainer_activities,
    value_label,
)

HUB_PAGE = "/hub/user-redirect/voila/render/"  # JupyterHub sends each user to their server
REFRESH_SECONDS = 2.0
WALL_NOTES = 30  # most recent notes on the wall
WALL_CHARS = 600  # characters of one note on the wall (the report has the whole note)
PANEL_NOTES = 200  # notes listed for moderation
COLOURS = ("#1f5f8b", "#b35900", "#00734f", "#8e3b7a", "#2b6f9e", "#a63d00", "#555555")
SCREEN_STYLE = """
<style>
.live-screen{font-family:system-ui,sans-serif;color:#111;background:#fff;padding:1.5rem;
  line-height:1.35}
.live-screen h2{font-size:2.4rem;margin:0 0 .5rem;overflow-wrap:anywhere}
.live-screen .live-question{font-size:1.9rem;margin:0 0 1rem;overflow-wrap:anywhere}
.live-screen table{border-collapse:collapse;width:100%}
.live-screen td{font-size:1.6rem;padding:.35rem .5rem;vertical-align:middle;
  overflow-wrap:anywhere;white-space:normal}
.live-screen .live-bar{height:2.2rem;background:#eee;width:100%}
.live-screen .live-count{white-space:nowrap;font-weight:bold}
.live-screen .live-wall{display:flex;flex-wrap:wrap;gap:1rem}
.live-screen .live-note{font-size:1.4rem;flex:1 1 22rem;border-left:.5rem solid #1f5f8b;
  background:#f4f4f4;padding:.75rem;white-space:pre-wrap;overflow-wrap:anywhere}
.live-screen .live-status{font-size:1.2rem;color:#333}
.live-screen .live-join{display:flex;gap:1.5rem;align-items:center;font-size:1.4rem;
  margin-top:1rem;overflow-wrap:anywhere}
.live-screen .live-closed{font-size:1.6rem;color:#8a1c1c;font-weight:bold}
</style>
"""


class LiveRoomError(WorkshopError):
    """Something the trainer asked of the live room that cannot be done; one sentence."""


def join_address(notebook: str, base: str | None = None) -> str:
    """Where participants open `notebook` on the hub: the hub's public address (`base`, else
    $WORKSHOP_HUB_PUBLIC_URL) and JupyterHub's user-redirect to the participant page; '' when
    none is set. A base that is not an http(s) address is refused with one sentence."""
    base = (base if base is not None else os.environ.get(ENV_HUB_PUBLIC_URL, "")).strip()
    if not base:
        return ""
    parts = urllib.parse.urlsplit(base)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or re.search(r"[\s<>\"'`]", base)
        or parts.query
        or parts.fragment
    ):
        raise ConfigurationError(
            _(
                "The hub's public address {variable} must be an http or https address such as "
                "https://hub.example.org."
            ).format(variable=ENV_HUB_PUBLIC_URL)
        )
    return base.rstrip("/") + HUB_PAGE + urllib.parse.quote(f"{notebook}.ipynb")


def qr_svg(address: str) -> str:
    """The QR code of `address` as inline SVG (drawn here; nothing is fetched)."""
    import segno

    code = segno.make(address, error="m")
    return code.svg_inline(scale=7, border=4, dark="#000", light="#fff", title="")


@dataclass(frozen=True)
class Shown:
    """What the live room shows: an activity, and for a quiz or the checklist, one question."""

    activity: content.Activity
    key: str = ""  # a quiz item id or a checklist row key

    @property
    def label(self) -> str:
        """The entry of the trainer's list: the kind, the title or question, the question."""
        title = getattr(self.activity, "title", None)
        kind = kind_name(self.activity.kind)
        if title is None:
            return f"{kind}: {self.question}"
        return f"{kind}: {title}" + (f" — {self.question}" if self.key else "")

    @property
    def heading(self) -> str:
        """The big title on the screen."""
        activity = self.activity
        return getattr(activity, "title", None) or kind_name(activity.kind)

    @property
    def question(self) -> str:
        """The question under the title."""
        activity = self.activity
        if isinstance(activity, content.Quiz):
            item = next(i for i in activity.items if i.id == self.key)
            return item.question
        if isinstance(activity, content.Checklist):
            for number, question in enumerate(activity.questions, start=1):
                if question.id == self.key:
                    return f"{number}. {question.text}"
                for item in question.items:
                    if f"{question.id}.{item.id}" == self.key:
                        return f"{number}. {question.text} {item.text}"
        if isinstance(activity, content.Poll):
            return activity.question
        if isinstance(activity, content.Prompt):
            return activity.prompt
        if isinstance(activity, content.Scenario):
            return _("Trafficking in persons, smuggling of migrants, both, or neither?")
        return ""


KIND_NAMES = {
    "poll": N_("Poll"),
    "scenario": N_("Scenario"),
    "quiz": N_("Quiz"),
    "checklist": N_("Checklist"),
    "note": N_("Discussion"),
}


def kind_name(kind: str) -> str:
    """What the trainer's list calls a kind of activity, in the current language."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def showable() -> list[Shown]:
    """Everything the live room can show, in agenda order."""
    found: list[Shown] = []
    for activity in trainer_activities():
        if isinstance(activity, content.Quiz):
            found += [Shown(activity, item.id) for item in activity.items]
        elif isinstance(activity, content.Checklist):
            for question in activity.questions:
                if question.answer != "scale":
                    continue
                keys = [f"{question.id}.{i.id}" for i in question.items] or [question.id]
                found += [Shown(activity, key) for key in keys]
        else:
            found.append(Shown(activity))
    return found


def tally(shown: Shown, answers: list[object]) -> list[tuple[str, int]]:
    """(stored value, count) per answer of what is shown, in the content's order, then any
    other answer counted together (under `ANOTHER_ANSWER`). The values are what is saved (a
    poll's or the checklist's English option, a classification id, a quiz option id), so
    answers given in any language count together; `answer_label` shows them."""
    activity = shown.activity
    counts: Counter = Counter()
    if isinstance(activity, content.Poll):
        options = list(option_values(activity))
        for answer in answers:
            choice = answer.get("choice") if isinstance(answer, dict) else None
            counts[choice if choice in options else ANOTHER_ANSWER] += 1
    elif isinstance(activity, content.Scenario):
        options = list(CLASSIFICATION_LABELS)
        for answer in answers:
            given = answer.get("classification") if isinstance(answer, dict) else None
            counts[given if given in CLASSIFICATION_LABELS else ANOTHER_ANSWER] += 1
    elif isinstance(activity, content.Quiz):
        item = next(i for i in activity.items if i.id == shown.key)
        options = [option_id for _label, option_id in item.choices()]
        for answer in answers:
            choices = answer.get("choices") if isinstance(answer, dict) else None
            if not isinstance(choices, dict) or choices.get(item.id) is None:
                continue
            chosen = chosen_ids(item, choices[item.id])
            if chosen is None:
                counts[ANOTHER_ANSWER] += 1
            else:  # a multiple-choice answer counts once for each option chosen
                for option_id in options:
                    if option_id in chosen:
                        counts[option_id] += 1
    elif isinstance(activity, content.Checklist):
        options = list(option_values(activity))
        for answer in answers:
            row = answer.get(shown.key) if isinstance(answer, dict) else None
            value = row.get("answer") if isinstance(row, dict) else None
            if isinstance(value, str) and value:
                counts[value if value in options else ANOTHER_ANSWER] += 1
    else:
        return []
    rows = [(option, counts.pop(option, 0)) for option in options]
    if counts[ANOTHER_ANSWER]:
        rows.append((ANOTHER_ANSWER, counts[ANOTHER_ANSWER]))
    return rows


def shown_label(shown: Shown, value: str) -> str:
    """A stored value of what is shown (see `tally`) in words, in the current language."""
    activity = shown.activity
    if value == ANOTHER_ANSWER:
        return another_answer()
    if isinstance(activity, content.Quiz):
        item = next(i for i in activity.items if i.id == shown.key)
        return answer_label(item, frozenset({value}))
    if isinstance(activity, content.Scenario):
        return classification_label(value)
    if isinstance(activity, content.Poll | content.Checklist):
        return value_label(activity, value)
    return value


def right_values(shown: Shown) -> set[str]:
    """The stored values of the right answers of what is shown (quiz items and scenarios)."""
    activity = shown.activity
    if isinstance(activity, content.Quiz):
        item = next(i for i in activity.items if i.id == shown.key)
        return set(item.correct_ids())
    if isinstance(activity, content.Scenario):
        return {activity.classification}
    return set()


def right_labels(shown: Shown) -> set[str]:
    """The labels of the right answers of what is shown (quiz items and scenarios)."""
    return {shown_label(shown, value) for value in right_values(shown)}


def bars_html(rows: list[tuple[str, int]], right: set[str] = frozenset()) -> str:
    """Large bars for projection: label, count and share in words, a bar; escaped."""
    esc = html.escape
    total = sum(n for _label, n in rows)
    body = []
    for index, (label, count) in enumerate(rows):
        share = round(100 * count / total) if total else 0
        mark = " ✓" if label in right else ""
        colour = COLOURS[index % len(COLOURS)]
        counted = _("{count} ({share}%)").format(count=count, share=share)
        spoken = _("{count} of {total}").format(count=count, total=total)
        body.append(
            f"<tr><td style='width:40%'><bdi>{esc(label)}</bdi>{mark}</td>"
            f"<td class='live-count'>{esc(counted)}</td><td style='width:45%'>"
            f"<div class='live-bar' role='img' aria-label='{esc(spoken)}'>"
            f"<div style='height:100%;width:{share}%;background:{colour}'></div></div></td></tr>"
        )
    return f"<table><tbody>{''.join(body)}</tbody></table>"


def wall_html(notes: list[str]) -> str:
    """The wall of notes: each escaped and isolated, long ones shortened and saying so."""
    esc = html.escape
    cards = []
    for text in notes:
        if len(text) > WALL_CHARS:
            text = text[:WALL_CHARS] + _(" … (continued in the report)")
        cards.append(f"<div class='live-note'><bdi>{esc(text)}</bdi></div>")
    empty = "<p>" + esc(_("No notes yet.")) + "</p>"
    return f"<div class='live-wall'>{''.join(cards) or empty}</div>"


class Displayed:
    """A widget of the live room as a notebook shows it: live in JupyterLab, and as text and
    static HTML (what it showed when the notebook was run) everywhere else."""

    def __init__(self, root: widgets.Widget, text, static):
        self.root, self.text, self.static = root, text, static

    def _repr_mimebundle_(self, **kwargs):
        return mimebundle(self.root, self.text(), self.static(), **kwargs)


class LiveRoom:
    """The live room for one cohort (see the module's docstring)."""

    def __init__(
        self,
        responses_dir: str = "",
        cohort: str = "",
        interval: float = REFRESH_SECONDS,
        hub_url: str | None = None,
        start: bool = True,
    ):
        self.location = responses_location(responses_dir)
        self.store = open_store(self.location)
        self.room = controls_for(self.store)
        self.cohort = cohort or "demo"
        self.interval = interval
        self.hub_url = hub_url
        self.items = showable()
        self.shown = self.items[0]
        self.records: dict[str, dict] = {}  # participant -> record of the activity shown
        self.watcher = None
        self.controls_state = ActivityControls()
        self.last_refresh = ""
        self.problem = ""
        self.task: asyncio.Task | None = None
        self.refreshes = 0

        self.title = lean.HTML()
        self.body = lean.HTML()
        self.join = lean.HTML()
        self.footer = lean.HTML()
        self.screen = lean.VBox(
            [lean.HTML(SCREEN_STYLE), self.title, self.body, self.join, self.footer],
            layout=lean.layout(width="100%"),
        )
        self.screen.add_class("live-screen")

        self.choose = lean.Dropdown(
            options=[(s.label, n) for n, s in enumerate(self.items)],
            value=None,
            description=_("Show"),
            layout=lean.layout(width="100%"),
        )
        self.lock_button = lean.Button(description=_("Close answers"), icon="lock")
        self.round_button = lean.Button(description=_("New round"), icon="repeat")
        self.reveal_button = lean.Button(description=_("Share result"), icon="eye")
        self.answers_toggle = lean.Checkbox(
            value=False, description=_("Mark the right answer on the screen"), indent=False
        )
        self.names_toggle = lean.Checkbox(
            value=False,
            description=_("Show participant ids here (never on the screen)"),
            indent=False,
        )
        self.notes_panel = lean.VBox()
        self.message = lean.HTML()
        self.controls = lean.VBox(
            [
                self.choose,
                lean.HBox([self.lock_button, self.round_button, self.reveal_button]),
                lean.HBox([self.answers_toggle, self.names_toggle]),
                self.message,
                self.notes_panel,
            ]
        )
        self.choose.observe(lambda _: self.select(self.choose.value), names="value")
        self.lock_button.on_click(lambda _: self.toggle_lock())
        self.round_button.on_click(lambda _: self.new_round())
        self.reveal_button.on_click(lambda _: self.toggle_reveal())
        self.answers_toggle.observe(lambda _: self.draw(), names="value")
        self.names_toggle.observe(lambda _: self.draw_panel(), names="value")
        first_poll = next(
            (n for n, s in enumerate(self.items) if isinstance(s.activity, content.Poll)), 0
        )
        self.select(first_poll)
        if start:
            self.start()

    def show_screen(self) -> Displayed:
        """The screen, to display in a notebook cell (for the projector)."""
        return Displayed(
            self.screen,
            lambda: _("Live room: {title}. {question}").format(
                title=self.shown.heading, question=self.shown.question
            ),
            lambda: (
                SCREEN_STYLE
                + f"<div class='live-screen' {page_attributes()}>"
                + self.title.value
                + self.body.value
                + self.footer.value
                + "</div>"
            ),
        )

    def show_controls(self) -> Displayed:
        """The trainer's controls, to display in a notebook cell."""

        def text() -> str:
            return _("Live room controls (run the notebook in JupyterLab to use them).")

        return Displayed(
            self.controls,
            text,
            lambda: f"<p {page_attributes()}>{html.escape(text())}</p>",
        )

    # reading -------------------------------------------------------------------------------

    @property
    def activity(self) -> content.Activity:
        """The activity shown."""
        return self.shown.activity

    def activity_id(self) -> str:
        """The id answers are saved under now (a poll's current round)."""
        if isinstance(self.activity, content.Poll):
            return round_activity(self.activity.activity_id, self.controls_state.round)
        return self.activity.activity_id

    def select(self, index: int) -> None:
        """Show another activity (read its answers afresh)."""
        self.shown = self.items[index]
        if self.choose.value != index:
            self.choose.value = index
        self._read_controls()
        self._new_watcher()
        self.refresh()

    def _new_watcher(self) -> None:
        self.records = {}
        self.watcher = watch(self.store, self.cohort, self.activity.notebook, self.activity_id())

    def _read_controls(self) -> None:
        try:
            self.controls_state = self.room.read(
                self.cohort, self.activity.activity_id, private=True
            )
        except (WorkshopError, OSError) as exc:
            self.problem = sentence(exc)

    def refresh(self) -> bool:
        """Read what changed (unless the activity is locked) and redraw; return whether
        anything changed on the screen."""
        self.problem = ""
        before_round = self.controls_state.round
        self._read_controls()
        if self.controls_state.round != before_round:
            self._new_watcher()
        changed_records = False
        if not self.controls_state.locked or not self.records:
            try:
                changes = self.watcher.changes()
            except (WorkshopError, OSError) as exc:
                self.problem = sentence(exc)
            else:
                for who, record in changes.records.items():
                    if record is None or record["kind"] != self.activity.kind:
                        changed_records |= self.records.pop(who, None) is not None
                    else:
                        self.records[who] = record
                        changed_records = True
        self.refreshes += 1
        self.last_refresh = dt.datetime.now(dt.UTC).strftime("%H:%M:%S UTC")
        if changed_records and self.controls_state.revealed is not None:
            self._publish()
        return self.draw()

    def answers(self) -> list[object]:
        """The answers to the activity shown, one per participant."""
        return [r["answer"] for r in self.records.values()]

    def notes(self, hidden: bool = False) -> list[tuple[str, str]]:
        """(participant, note) of the prompt shown, newest first; hidden ones only when
        `hidden`."""
        found = [
            (who, r["answer"], r["last_saved"])
            for who, r in self.records.items()
            if isinstance(r["answer"], str) and r["answer"].strip()
            and (hidden or who not in self.controls_state.hidden)
        ]  # fmt: skip
        found.sort(key=lambda row: (row[2], row[0]), reverse=True)
        return [(who, text) for who, text, _ in found]

    # drawing -------------------------------------------------------------------------------

    def draw(self) -> bool:
        """Redraw the screen and the trainer's panel; return whether the screen changed."""
        esc = html.escape
        shown = self.shown
        before = (self.title.value, self.body.value, self.join.value, self.footer.value)
        attributes = page_attributes()
        heading = shown.heading
        if isinstance(self.activity, content.Poll) and self.controls_state.round > 1:
            heading = _("{title} (round {round})").format(
                title=heading, round=self.controls_state.round
            )
        self.title.value = (
            f"<div {attributes}><h2>{esc(heading)}</h2>"
            + (
                f"<p class='live-question'>{esc(shown.question)}</p>"
                if shown.heading != shown.question
                else ""
            )
            + "</div>"
        )
        if isinstance(self.activity, content.Prompt):
            notes = [text for _who, text in self.notes()[:WALL_NOTES]]
            body = wall_html(notes)
        else:
            right = right_labels(shown) if self.answers_toggle.value else set()
            rows = [(shown_label(shown, v), n) for v, n in tally(shown, self.answers())]
            body = bars_html(rows, right)
        closed = (
            "<p class='live-closed'>" + esc(_("Answers are closed.")) + "</p>"
            if self.controls_state.locked
            else ""
        )
        self.body.value = f"<div {attributes}>{closed}{body}</div>"
        self.join.value = self._join_html()
        count = (
            len(self.records)
            if not isinstance(self.activity, content.Prompt)
            else len(self.notes())
        )
        answers = ngettext("{count} answer", "{count} answers", count).format(count=count)
        status = _("{answers} · updated {time}").format(answers=answers, time=self.last_refresh)
        problem = f" {esc(self.problem)}" if self.problem else ""
        self.footer.value = (
            f"<div {attributes}><p class='live-status' role='status'>{esc(status)}{problem}</p>"
            "</div>"
        )
        self.draw_panel()
        return before != (self.title.value, self.body.value, self.join.value, self.footer.value)

    def _join_html(self) -> str:
        esc = html.escape
        try:
            address = join_address(self.activity.notebook, self.hub_url)
        except ConfigurationError as exc:
            return f"<p class='live-status'>{esc(sentence(exc))}</p>"
        if not address:
            return ""
        host = urllib.parse.urlsplit(address).hostname or ""
        page = self.activity.notebook.replace("_", " ")
        qr_label = _("QR code: {address}").format(address=address)
        join = esc(_("Join: {host}, page {page}")).format(
            host=f"<strong><bdi>{esc(host)}</bdi></strong>",
            page=f"<strong><bdi>{esc(page)}</bdi></strong>",
        )
        return (
            f"<div class='live-join' {page_attributes()}><div role='img' "
            f"aria-label='{esc(qr_label)}' class='live-qr' dir='ltr'>{qr_svg(address)}</div>"
            f"<div>{join}<br><small dir='ltr'>{esc(address)}</small></div></div>"
        )

    def draw_panel(self) -> None:
        """The trainer's panel: what the buttons will do, and the notes to moderate."""
        esc = html.escape
        state = self.controls_state
        is_poll = isinstance(self.activity, content.Poll)
        self.lock_button.description = _("Open answers") if state.locked else _("Close answers")
        self.lock_button.icon = "unlock" if state.locked else "lock"
        self.round_button.disabled = not is_poll
        self.reveal_button.disabled = not is_poll
        self.reveal_button.description = (
            _("Stop sharing result") if state.revealed is not None else _("Share result")
        )
        status = [
            _("Answers are closed: participants' widgets say so and save nothing.")
            if state.locked
            else _("Answers are open.")
        ]
        if is_poll:
            status.append(_("Round {round}.").format(round=state.round))
            if state.revealed is not None:
                status.append(_("Participants can see the room's result."))
        if self.problem:
            status.append(self.problem)
        self.message.value = f"<p role='status'>{esc(' '.join(status))}</p>"
        if not isinstance(self.activity, content.Prompt):
            self.notes_panel.children = ()
            return
        names = self._names()
        rows = []
        for who, text in self.notes(hidden=True)[:PANEL_NOTES]:
            hidden = who in state.hidden
            button = lean.Button(
                description=_("Show on the wall") if hidden else _("Hide from the wall"),
                icon="eye" if hidden else "eye-slash",
                layout=lean.layout(width="auto", min_width="13em"),
            )
            button.on_click(lambda _, who=who: self.toggle_note(who))
            preview = text if len(text) <= 300 else text[:300] + " …"
            hidden_mark = esc(_(" (hidden)"))
            label = lean.HTML(
                f"<p style='white-space:pre-wrap;overflow-wrap:anywhere'>"
                f"<em>{esc(names.get(who, who))}</em>{hidden_mark if hidden else ''}: "
                f"<bdi>{esc(preview)}</bdi></p>"
            )
            rows.append(lean.HBox([button, label]))
        self.notes_panel.children = tuple(rows)

    def _names(self) -> dict[str, str]:
        people = list(self.records)
        return {p: p for p in people} if self.names_toggle.value else pseudonyms(people)

    # the trainer's controls ----------------------------------------------------------------

    def _update(self, change) -> None:
        try:
            self.controls_state = self.room.update(self.cohort, self.activity.activity_id, change)
        except (WorkshopError, OSError) as exc:
            self.problem = sentence(exc)

    def toggle_lock(self) -> None:
        """Close the activity shown to new answers, or open it again."""
        locked = not self.controls_state.locked
        self._update(lambda c: dataclasses.replace(c, locked=locked))
        self.refresh()

    def new_round(self) -> None:
        """Start a new round of the poll shown (earlier answers stay; the result is no longer
        shared)."""
        if not isinstance(self.activity, content.Poll):
            return
        self._update(lambda c: dataclasses.replace(c, round=min(c.round + 1, 999), revealed=None))
        self._new_watcher()
        self.refresh()

    def toggle_reveal(self) -> None:
        """Share the poll's room result with participants, or stop sharing it."""
        if not isinstance(self.activity, content.Poll):
            return
        if self.controls_state.revealed is not None:
            self._update(lambda c: dataclasses.replace(c, revealed=None))
        else:
            self._publish()
        self.draw()

    def _publish(self) -> None:
        """Write the poll's current counts into the room's controls, by the options' stored
        values (each participant's widget shows them in its own language)."""
        rows = tally(self.shown, self.answers())
        rows = [(value, n) for value, n in rows if value != ANOTHER_ANSWER]
        result = RoomResult(
            self.controls_state.round,
            tuple(value for value, _n in rows),
            tuple(n for _value, n in rows),
            sum(n for _value, n in rows),
            utc_now(),
        )
        if (
            self.controls_state.revealed is not None
            and self.controls_state.revealed.counts == result.counts
            and self.controls_state.revealed.round == result.round
        ):
            return
        self._update(lambda c: dataclasses.replace(c, revealed=result))

    def toggle_note(self, participant: str) -> None:
        """Hide a participant's note from the wall, or show it again."""

        def change(c: ActivityControls) -> ActivityControls:
            hidden = set(c.hidden)
            hidden.symmetric_difference_update({participant})
            return dataclasses.replace(c, hidden=frozenset(hidden))

        self._update(change)
        self.draw()

    # the timer -----------------------------------------------------------------------------

    def start(self) -> bool:
        """Refresh every `interval` seconds in the kernel's event loop; False without one."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # outside a kernel (tests, scripts): refresh() by hand
            return False
        if self.task is None or self.task.done():
            self.task = loop.create_task(self._run())
        return True

    def stop(self) -> None:
        """Stop refreshing."""
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                self.refresh()
            except Exception as exc:  # noqa: BLE001 - the timer must go on; say what failed
                self.problem = (
                    sentence(exc)
                    if isinstance(exc, WorkshopError)
                    else _("The last refresh failed ({error}); trying again.").format(
                        error=type(exc).__name__
                    )
                )


def live_room(
    responses_dir: str = "", cohort: str = "", lang: str = "en", hub_url: str | None = None
) -> LiveRoom:
    """The live room of `cohort` in `lang` (see the module's docstring); `room.screen` for the
    projector, `room.controls` for the trainer."""
    use(lang)
    return LiveRoom(responses_dir, cohort, hub_url=hub_url)
