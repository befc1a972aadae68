"""One root for the errors a participant or trainer can cause, and the one place that turns
them into a sentence.

Every such error is a `WorkshopError` whose message is already one plain sentence (what went
wrong and what to do). The command line prints it; in a notebook, `show_in_notebooks()` makes
IPython show it as that sentence instead of a traceback. Errors that are the project's own bugs
stay ordinary exceptions with their tracebacks.
"""

from __future__ import annotations


class WorkshopError(Exception):
    """An error a user can cause; `str(error)` is the sentence to show them."""


class ConfigurationError(WorkshopError):
    """A setting (a notebook parameter, an option, an environment variable) that cannot work."""


def sentence(error: BaseException | str) -> str:
    """The one sentence to show for `error` (or a reason): its message on one line, ending
    with a full stop."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if text[-1] in ".?!" else text + "."


def _show_sentence(shell, etype, value, tb, tb_offset=None):  # IPython's custom_exc signature
    from IPython.display import display

    from workshop_lib.messages import Message

    display(Message(sentence(value)))


def show_in_notebooks() -> None:
    """In an IPython kernel, show every WorkshopError as its sentence, not a traceback (the cell
    still counts as failed, so papermill and nbval report it). Does nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with the notebook stack
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((WorkshopError,), _show_sentence)
