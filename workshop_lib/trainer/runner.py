"""Execute the agenda notebooks with papermill and write each as .ipynb and .html.

A notebook runs in the language of its `lang` parameter (the French agenda is in
`notebooks/fr/`); its HTML copy says so (`<html lang dir>`), and what the runner reports about
it (a failure's place) is in that language too."""

from __future__ import annotations

import multiprocessing
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from papermill.exceptions import PapermillExecutionError

from workshop_lib.errors import WorkshopError, sentence
from workshop_lib.i18n.catalog import _, use
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES
from workshop_lib.paths import notebooks_dir
from workshop_lib.trainer.notebook_hygiene import WIDGET_VIEW

KERNEL_NAME = "python3"
TRAINER_TAG = "trainer"
TRAINER_ONLY_PREFIX = "9"  # notebooks numbered 90 and up are for trainers only
PARTICIPANT_FOLDER = "participant"
# The kernels papermill starts log to the terminal on their own: a warning that local TCP is not
# encrypted at every start, and "KeyboardInterrupt caught in kernel" when the kernel manager
# interrupts a busy kernel to shut it down. Neither is about the notebook (a failing cell reaches
# us through the notebook itself), so the kernels log only critical errors.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
# How errors.show_in_notebooks() shows a WorkshopError in a cell (a workshop Message).
MESSAGE_MARKER = 'class="workshop-message"'
# Code a reader of the HTML copy need not see: plumbing and the parameters cells.
HIDDEN_INPUT_TAGS = {"hide-input", "parameters", "injected-parameters"}
# HTMLExporter settings that point at a CDN by default; emptied so the HTML loads nothing remote.
OFFLINE_URL_SETTINGS = (
    "require_js_url",
    "mathjax_url",
    "widget_renderer_url",
    "mermaid_js_url",
    "mermaid_layout_elk_js_url",
)
HTML_TAG = re.compile(r"<html\b[^>]*>")


@dataclass
class NotebookResult:
    """What happened to one notebook: how long it took, whether it ran, where it went."""

    name: str
    seconds: float
    ok: bool
    error: str = ""
    outputs: list[Path] = field(default_factory=list)


def agenda_notebooks(folder: Path | None = None) -> list[Path]:
    """The notebooks whose names start with a number, in agenda order (00_, 01_, ...)."""
    folder = folder or notebooks_dir()
    return sorted(p for p in folder.glob("[0-9]*.ipynb") if p.is_file())


def is_for_participants(notebook: Path) -> bool:
    """False for the trainers' own notebooks (numbered 90 and up), which participants never get."""
    return not notebook.name.startswith(TRAINER_ONLY_PREFIX)


def without_trainer_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop the cells tagged `trainer` (the trainer's notes) and papermill's run metadata."""
    nb.cells = [c for c in nb.cells if TRAINER_TAG not in c.metadata.get("tags", [])]
    nb.metadata.pop("papermill", None)
    return nb


def copy_for_participants(source: Path, target: Path) -> Path:
    """Write `source` to `target` as participants get it: without the trainer's notes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(without_trainer_cells(nbformat.read(source, as_version=4)), target)
    return target


def without_widget_views(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop live widget views (and the widget state) wherever a static fallback exists, so
    a page without a kernel shows each exercise's text and HTML."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
    nb.metadata.pop("widgets", None)
    return nb


def notebook_language(nb: nbformat.NotebookNode, lang: str | None = None) -> str:
    """The language of a notebook: `lang` (its parameter) when given, else its
    `metadata.language` (a translated notebook's), else English."""
    code = (lang or nb.metadata.get("language") or DEFAULT).strip().lower()
    return code if code in LANGUAGES else DEFAULT


def with_language(page: str, code: str) -> str:
    """The HTML `page` with `<html lang="code" dir="...">` (nbconvert writes lang="en")."""
    language = LANGUAGES[code]
    return HTML_TAG.sub(f'<html lang="{language.code}" dir="{language.direction}">', page, count=1)


def export_html(notebook: Path, lang: str | None = None) -> Path:
    """Write an offline HTML copy beside `notebook`, in its language (`lang`, else the
    notebook's metadata).

    Widget views are left out so that each widget's plain HTML or text fallback shows (an HTML
    file has no kernel to drive live widgets), and no script is loaded from the network.
    """
    nb = without_widget_views(nbformat.read(notebook, as_version=4))
    code = notebook_language(nb, lang)
    exporter = HTMLExporter(template_name="lab")
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags=HIDDEN_INPUT_TAGS, enabled=True), enabled=True
    )
    for url_setting in OFFLINE_URL_SETTINGS:
        setattr(exporter, url_setting, "")
    body, _resources = exporter.from_notebook_node(nb)
    target = notebook.with_suffix(".html")
    target.write_text(with_language(body, code), encoding="utf-8")
    return target


def _papermill(source: Path, target: Path, parameters: dict[str, str], **options) -> None:
    # The output is written once at the end (and on a failure), not after every cell: papermill
    # would otherwise rewrite and re-validate the whole notebook twice per cell.
    papermill.execute_notebook(
        str(source),
        str(target),
        parameters=parameters,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        request_save_on_cell_execute=False,
        extra_arguments=KERNEL_ARGUMENTS,
        **options,
    )


def write_participant_copy(source: Path, out_dir: Path, parameters: dict[str, str]) -> Path:
    """Write `source` with the parameters injected, unexecuted and without trainer cells, for
    participants to open (trainer notes are kept only in the trainer's executed copy)."""
    target = out_dir / PARTICIPANT_FOLDER / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    _papermill(source, target, parameters, prepare_only=True)
    return copy_for_participants(target, target)


def _message_shown(executed: Path) -> str:
    """The sentence a WorkshopError showed in the failed cell of `executed`, if any."""
    try:
        nb = nbformat.read(executed, as_version=4)
    except (OSError, ValueError):
        return ""
    for cell in nb.cells:
        if cell.metadata.get("papermill", {}).get("exception") is True:
            for output in reversed(cell.get("outputs", [])):
                data = output.get("data", {})
                if MESSAGE_MARKER in data.get("text/html", "") and data.get("text/plain"):
                    return sentence(data["text/plain"])
            return ""
    return ""


def describe_failure(exc: Exception, executed: Path) -> str:
    """One line saying where and why a notebook failed: the cell, then the sentence a workshop
    error showed there, or the exception's name and message (never a traceback)."""
    if isinstance(exc, PapermillExecutionError):
        where = _("cell {number} (In [{count}])").format(
            number=exc.cell_index + 1, count=exc.exec_count
        )
        shown = "" if exc.evalue else _message_shown(executed)
        if shown:
            return f"{where}: {shown}"
        return f"{where}: {exc.ename}: {' '.join(str(exc.evalue).split())}"
    if isinstance(exc, WorkshopError):
        return sentence(exc)
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def run_notebook(source: Path, out_dir: Path, parameters: dict[str, str]) -> NotebookResult:
    """Execute one notebook with `parameters` into `out_dir`; never raises on a notebook error."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / source.name
    start = time.perf_counter()
    try:
        _papermill(source, target, parameters, cwd=str(source.parent))
        ok, error = True, ""
    except Exception as exc:  # a failed notebook is reported, the others still run
        ok, error = False, describe_failure(exc, target)
    outputs = [target] if target.exists() else []
    if target.exists():
        outputs.append(export_html(target, parameters.get("lang")))
    if is_for_participants(source):
        outputs.append(write_participant_copy(source, out_dir, parameters))
    return NotebookResult(source.stem, time.perf_counter() - start, ok, error, outputs)


@dataclass(frozen=True)
class Task:
    """One notebook to run for one country (`label` is the country code, or empty)."""

    label: str
    source: Path
    out_dir: Path
    parameters: dict[str, str]


def _run_task(task: Task) -> NotebookResult:
    use(task.parameters.get("lang") or DEFAULT)  # a worker process speaks the task's language
    return run_notebook(task.source, task.out_dir, task.parameters)


def run_tasks(
    tasks: list[Task],
    workers: int,
    done: Callable[[int, Task, NotebookResult], None] = lambda *a: None,
) -> list[NotebookResult]:
    """Run every task, `workers` at a time (in separate processes when more than one).

    A failing notebook never stops the others. `done(finished_count, task, result)` is called as
    each task finishes; the results come back in the order of `tasks`.
    """
    results: dict[int, NotebookResult] = {}
    if workers <= 1:
        for index, task in enumerate(tasks):
            results[index] = _run_task(task)
            done(len(results), task, results[index])
        return [results[i] for i in range(len(tasks))]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(_run_task, task): index for index, task in enumerate(tasks)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except Exception as exc:  # the worker itself died; report it like a failed run
                results[index] = NotebookResult(tasks[index].source.stem, 0.0, False, repr(exc))
            done(len(results), tasks[index], results[index])
    return [results[i] for i in range(len(tasks))]
