"""Execute the agenda notebooks with papermill and write each as .ipynb and .html."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillExecutionError

from workshop_lib.paths import notebooks_dir

KERNEL_NAME = "python3"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
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


def export_html(notebook: Path) -> Path:
    """Write an offline HTML copy beside `notebook`.

    Widget views are left out so that each widget's plain HTML or text fallback shows (an HTML
    file has no kernel to drive live widgets), and no script is loaded from the network.
    """
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and len(data) > 1:
                del data[WIDGET_VIEW]
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(template_name="lab")
    for url_setting in OFFLINE_URL_SETTINGS:
        setattr(exporter, url_setting, "")
    body, _ = exporter.from_notebook_node(nb)
    target = notebook.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
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
        papermill.execute_notebook(
            str(source),
            str(target),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            cwd=str(source.parent),
        )
        ok, error = True, ""
    except Exception as exc:  # a failed notebook is reported, the others still run
        ok, error = False, _describe(exc)
    outputs = [target] if target.exists() else []
    if target.exists():
        outputs.append(export_html(target))
    return NotebookResult(source.stem, time.perf_counter() - start, ok, error, outputs)


def run_agenda(
    notebooks: list[Path],
    out_dir: Path,
    parameters: dict[str, str],
    report: Callable[[int, int, Path, NotebookResult | None], None] = lambda *a: None,
) -> list[NotebookResult]:
    """Run `notebooks` in order into `out_dir`; `report` is told before and after each one."""
    results = []
    for number, notebook in enumerate(notebooks, start=1):
        report(number, len(notebooks), notebook, None)
        result = run_notebook(notebook, out_dir, parameters)
        report(number, len(notebooks), notebook, result)
        results.append(result)
    return results
