"""The stylesheet every exercise widget carries, for JupyterLab and the participant view alike.

ipywidgets' own radio buttons and check boxes are 13 px across, their labels never wrap, and
their focus ring is thin or missing. Each exercise's box carries (as its last child, hidden) an
HTML widget holding a `<style>` element, so the rules below travel with the widget wherever it
is shown, with no JupyterLab extension and nothing loaded from the network:

- every radio button and check box is 24 x 24 CSS px (WCAG 2.2, 2.5.8 target size), and the
  whole label is part of the target; a radio button stands before its words, as a check box does;
- every control shows a 3 px focus ring when reached with the keyboard (2.4.7 focus visible);
- labels wrap instead of running off the page at 200 % zoom (1.4.4, 1.4.10);
- a pressed toggle button (the checklist's answers) says so with a tick and bold type, not only
  with a shade of grey (1.4.1 use of colour);
- label text is near-black on white (1.4.3 contrast).

The HTML widgets that show feedback carry the class `workshop-live`: the participant view's
page makes their content a live region before it first changes, so screen readers announce the
feedback (4.1.3 status messages); the feedback itself also carries role="status".
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import ipywidgets as widgets

from workshop_lib.exercises.widgets import lean

WIDGET_CLASS = "workshop-widget"
LIVE_CLASS = "workshop-live"
STYLESHEET_CLASS = "workshop-stylesheet"
TARGET_PX = 24
FOCUS_COLOUR = "#1a5fb4"  # 6.5:1 on white
TEXT_COLOUR = "#1f1f1f"  # 16:1 on white

STYLESHEET = f"""
.{WIDGET_CLASS} input[type="radio"],
.{WIDGET_CLASS} input[type="checkbox"] {{
  width: {TARGET_PX}px !important;
  height: {TARGET_PX}px !important;
  min-width: {TARGET_PX}px;
  flex: none;
  margin: 0 0.6em 0 0 !important;
  accent-color: {FOCUS_COLOUR};
  cursor: pointer;
}}
.{WIDGET_CLASS} .widget-radio-box label,
.{WIDGET_CLASS} .widget-checkbox label {{
  display: flex !important;
  align-items: center;
  height: auto !important;
  min-height: 32px;
  line-height: 1.35 !important;
  white-space: normal !important;
  margin: 2px 0;
  cursor: pointer;
}}
.{WIDGET_CLASS} .widget-radio-box label {{
  flex-direction: row-reverse;
  justify-content: flex-end;
}}
.{WIDGET_CLASS} .widget-radio,
.{WIDGET_CLASS} .widget-radio-box,
.{WIDGET_CLASS} .widget-checkbox {{
  height: auto !important;
  max-width: 100%;
}}
.{WIDGET_CLASS} .widget-toggle-buttons {{
  flex-wrap: wrap;
  height: auto !important;
  gap: 4px;
}}
.{WIDGET_CLASS} .widget-toggle-button {{
  min-height: 32px;
}}
.{WIDGET_CLASS} .widget-toggle-button.mod-active {{
  font-weight: bold;
  box-shadow: inset 0 -4px 0 {FOCUS_COLOUR};
}}
.{WIDGET_CLASS} .widget-toggle-button.mod-active::before {{
  content: "\\2713\\00a0";
}}
.{WIDGET_CLASS} input:focus-visible,
.{WIDGET_CLASS} button:focus-visible,
.{WIDGET_CLASS} select:focus-visible,
.{WIDGET_CLASS} textarea:focus-visible,
.{WIDGET_CLASS} a:focus-visible {{
  outline: 3px solid {FOCUS_COLOUR} !important;
  outline-offset: 2px !important;
}}
.{WIDGET_CLASS} .widget-label,
.{WIDGET_CLASS} .widget-label-basic,
.{WIDGET_CLASS} .widget-html-content {{
  color: {TEXT_COLOUR};
}}
.{WIDGET_CLASS} .widget-html-content {{
  white-space: normal;
  height: auto;
  line-height: 1.45;
}}
.{WIDGET_CLASS} .widget-text,
.{WIDGET_CLASS} .widget-textarea {{
  max-width: 100%;
}}
"""


@functools.cache
def stylesheet() -> widgets.HTML:
    """The hidden HTML widget holding the stylesheet (a `<style>` applies wherever it is); one
    per kernel, shown inside every exercise's box."""
    sheet = lean.HTML(value=f"<style>{STYLESHEET}</style>", layout=lean.layout(display="none"))
    sheet.add_class(STYLESHEET_CLASS)
    return sheet


def carries_stylesheet(root: widgets.Box) -> bool:
    """True when `root` already holds the stylesheet among its children."""
    return any(STYLESHEET_CLASS in child._dom_classes for child in root.children)


def make_accessible(root: widgets.Widget, live: Iterable[widgets.Widget] = ()) -> widgets.Widget:
    """Give `root` the class the stylesheet applies to and, when it is a box, the stylesheet as
    its last child (once); mark the `live` widgets as feedback to announce. Returns `root`."""
    if WIDGET_CLASS not in root._dom_classes:
        root.add_class(WIDGET_CLASS)
    if isinstance(root, widgets.Box) and not carries_stylesheet(root):
        root.children = (*root.children, stylesheet())
    for widget in live:
        if LIVE_CLASS not in widget._dom_classes:
            widget.add_class(LIVE_CLASS)
    return root
