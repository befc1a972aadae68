"""Execute the agenda notebooks with papermill and write each as .ipynb and .html."""

from __future__ import annotations

import multiprocessing
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

from workshop_lib.paths import notebooks_dir
from workshop_lib.trainer.notebook_hygiene import WIDGET_VIEW

KERNEL_NAME = "python3"
TRAINER_TAG = "trainer"
TRAINER_ONLY_PREFIX = "9"  # notebooks numbered 90 and up are for trainers only
PARTICIPANT_FOLDER = "participant"
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


def export_html(notebook: Path) -> Path:
    """Write an offline HTML copy beside `notebook`.

    Widget views are left out so that each widget's plain HTML or text fallback shows (an HTML
    file has no kernel to drive live widgets), and no script is loaded from the network.
    """
    nb = without_widget_views(nbformat.read(notebook, as_version=4))
    exporter = HTMLExporter(template_name="lab")
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_input_tags=HIDDEN_INPUT_TAGS, enabled=True), enabled=True
    )
    for url_setting in OFFLINE_URL_SETTINGS:
        setattr(exporter, url_setting, "")
    body, _ = exporter.from_notebook_node(nb)
    target = notebook.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
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
        **options,
    )


def write_participant_copy(source: Path, out_dir: Path, parameters: dict[str, str]) -> Path:
    """Write `source` with the parameters injected, unexecuted and without trainer cells, for
    participants to open (trainer notes are kept only in the trainer's executed copy)."""
    target = out_dir / PARTICIPANT_FOLDER / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    _papermill(source, target, parameters, prepare_only=True)
    nb = nbformat.read(target, as_version=4)
    nb.cells = [c for c in nb.cells if TRAINER_TAG not in c.metadata.get("tags", [])]
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, target)
    return target


def _describe(exc: Exception) -> str:
    if isinstance(exc, PapermillExecutionError):
        return f"cell {exc.cell_index + 1} (In [{exc.exec_count}]): {exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def run_notebook(source: Path, out_dir: Path, parameters: dict[str, str]) -> NotebookResult:
    """Execute one notebook with `parameters` into `out_dir`; never raises on a notebook error."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / source.name
    start = time.perf_counter()
    try:
        _papermill(source, target, parameters, cwd=str(source.parent))
        ok, error = True, ""
    except Exception as exc:  # a failed notebook is reported, the others still run
        ok, error = False, _describe(exc)
    outputs = [target] if target.exists() else []
    if target.exists():
        outputs.append(export_html(target))
    if not source.name.startswith(TRAINER_ONLY_PREFIX):
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
