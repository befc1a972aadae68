"""Widgets that share their layout and style models, so a page of exercises costs a third of the
widget models.

Every ipywidgets control carries a `Layout` model and most a style model (`HTMLStyle`,
`CheckboxStyle`, ...), each its own comm: notebook 03 built 1,071 models, of which 690 were
identical empty layouts and styles, and every model is a message that papermill, nbclient and
the browser handle. The classes here are the ipywidgets classes whose default layout and style
are one shared model per kind (ipywidgets documents that a layout may be shared); a widget given
`layout=lean.layout(width="auto")` shares that layout with every widget given the same one. No
widget of this package changes its layout or style after it is built, which is what makes
sharing safe.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
import traitlets


@functools.cache
def _shared(model_class: type[widgets.Widget], settings: tuple[tuple[str, object], ...]):
    return model_class(**dict(settings))


def layout(**settings) -> widgets.Layout:
    """The one `Layout` model with these settings (for example `width="auto"`)."""
    return _shared(widgets.Layout, tuple(sorted(settings.items())))


def style(style_class: type[widgets.Widget], **settings) -> widgets.Widget:
    """The one style model of `style_class` with these settings."""
    return _shared(style_class, tuple(sorted(settings.items())))


def _sharing(base: type[widgets.DOMWidget]) -> type[widgets.DOMWidget]:
    """`base` with the shared empty layout and style as defaults."""
    namespace = {
        "__doc__": f"ipywidgets.{base.__name__} with a shared default layout and style.",
        "__module__": __name__,
        "_default_layout": traitlets.default("layout")(lambda self: layout()),
    }
    style_trait = base.class_traits().get("style")
    if style_trait is not None:
        style_class = style_trait.klass
        namespace["_default_style"] = traitlets.default("style")(lambda self: style(style_class))
    return type(base.__name__, (base,), namespace)


HTML = _sharing(widgets.HTML)
Button = _sharing(widgets.Button)
Checkbox = _sharing(widgets.Checkbox)
RadioButtons = _sharing(widgets.RadioButtons)
ToggleButtons = _sharing(widgets.ToggleButtons)
Dropdown = _sharing(widgets.Dropdown)
Text = _sharing(widgets.Text)
Textarea = _sharing(widgets.Textarea)
VBox = _sharing(widgets.VBox)
HBox = _sharing(widgets.HBox)
Output = _sharing(widgets.Output)
IntProgress = _sharing(widgets.IntProgress)
