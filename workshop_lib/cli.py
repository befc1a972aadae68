"""The `workshop` command line for trainers: run the agenda, start JupyterLab."""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

from tqdm import tqdm

from workshop_lib.config import DEFAULT_COHORT, is_database_url, responses_location
from workshop_lib.facts.countries import UnknownCountryError
from workshop_lib.facts.status import resolve_country
from workshop_lib.paths import notebooks_dir
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.trainer.doctor import main as run_doctor
from workshop_lib.trainer.handout import write_handout
from workshop_lib.trainer.report import write_report
from workshop_lib.trainer.runner import NotebookResult, Task, agenda_notebooks, run_tasks
from workshop_lib.trainer.slides import ASSETS, make_deck, presentation_notebooks

DEFAULT_OUT = Path("build")


def _summary(results: list[tuple[Task, NotebookResult]]) -> str:
    width = max([len(r.name) for _, r in results] + [8])
    lines = [f"  {'country':<7}  {'notebook':<{width}}  seconds  result"]
    for task, r in results:
        verdict = "ok" if r.ok else "failed"
        lines.append(f"  {task.label or '-':<7}  {r.name:<{width}}  {r.seconds:7.1f}  {verdict}")
    for task, r in results:
        if not r.ok:
            lines.append(
                f"  {(task.label + ' ') if task.label else ''}{r.name} failed at {r.error}"
            )
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    """Run every agenda notebook for the cohort (and each country), in parallel up to the
    number of CPUs, with progress, and print a summary."""
    try:
        codes = [resolve_country(c) for c in args.country]
    except UnknownCountryError as exc:
        print(exc, file=sys.stderr)
        return 2
    notebooks = agenda_notebooks(args.notebooks)
    if not notebooks:
        print(f"No notebooks found in {args.notebooks}.", file=sys.stderr)
        return 2
    base = args.out / args.cohort
    runs = [(code, base / code) for code in dict.fromkeys(codes)] or [("", base)]
    tasks = [
        Task(
            code,
            notebook,
            out_dir,
            {
                "country": code,
                "cohort": args.cohort,
                "participant": args.participant,
                "responses_dir": str(args.responses_dir.resolve()) if args.responses_dir else "",
            },
        )
        for code, out_dir in runs
        for notebook in notebooks
    ]
    workers = max(1, min(args.jobs or os.cpu_count() or 1, len(tasks)))
    where = ", ".join(str(out_dir) for _, out_dir in runs)
    print(f"Running {len(tasks)} notebook(s) into {where} ({workers} at a time)", flush=True)
    with tqdm(total=len(tasks), unit="notebook", disable=None, file=sys.stderr) as bar:

        def done(count: int, task: Task, result: NotebookResult) -> None:
            verdict = "ok" if result.ok else f"FAILED: {result.error}"
            label = f"{task.label} " if task.label else ""
            bar.write(
                f"[{count}/{len(tasks)}] {label}{result.name}: {verdict} ({result.seconds:.1f} s)",
                file=sys.stdout,
            )
            bar.update(1)

        results = run_tasks(tasks, workers, done)
    print("Summary:\n" + _summary(list(zip(tasks, results, strict=True))), flush=True)
    print(f"Files are in {where}.", flush=True)
    return 0 if all(r.ok for r in results) else 1


def cmd_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on the notebooks folder and print the address to open."""
    token = secrets.token_hex(16)
    env = dict(os.environ)
    if args.responses_dir:
        env["WORKSHOP_RESPONSES_DIR"] = str(args.responses_dir.resolve())
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--ServerApp.root_dir={args.notebooks}",
        f"--ServerApp.ip={args.ip}",
        f"--ServerApp.port={args.port}",
        f"--IdentityProvider.token={token}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    print(f"Open http://{args.ip}:{args.port}/lab?token={token} in your browser.", flush=True)
    print("Stop JupyterLab with Ctrl+C.", flush=True)
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the cohort's answers as an offline HTML report, or the raw table as CSV/XLSX."""
    location = responses_location(args.responses_dir or "")
    if not is_database_url(location) and not Path(location).is_dir():
        print(f"There is no responses folder at {location}.", file=sys.stderr)
        return 2
    try:
        answers = load_cohort(location, args.cohort)
    except OSError as exc:
        print(f"The answers in {location} cannot be read ({exc.strerror or exc}).", file=sys.stderr)
        return 2
    name = args.cohort or "all cohorts"
    out = args.out or DEFAULT_OUT / (args.cohort or "all") / f"report.{args.format}"
    write_report(answers, out, args.format, f"Workshop answers: {name}")
    people = len({r["participant"] for r in answers.records})
    print(f"Wrote {out}: {len(answers.records)} answer(s) from {people} participant(s).")
    for skipped in answers.skipped:
        print(f"Skipped {skipped}", file=sys.stderr)
    return 0


def cmd_slides(args: argparse.Namespace) -> int:
    """Write the presentation notebooks as offline reveal.js decks."""
    notebooks = [Path(n) for n in args.notebooks] or presentation_notebooks()
    missing = [str(n) for n in notebooks if not n.exists()]
    if missing:
        print(f"No such notebook: {', '.join(missing)}.", file=sys.stderr)
        return 2
    for notebook in notebooks:
        deck = make_deck(notebook, args.out)
        print(f"Wrote {deck}", flush=True)
    print(
        f"Open a deck in a browser (no network needed; keep the {ASSETS}/ folder beside it). "
        "Press S for the speaker notes, F for full screen, Esc for the overview."
    )
    return 0


def cmd_handout(args: argparse.Namespace) -> int:
    """Write the printable country handout (HTML, and PDF where Chromium is installed)."""
    try:
        files = write_handout(args.country, args.out)
    except UnknownCountryError as exc:
        print(exc, file=sys.stderr)
        return 2
    for path in files:
        print(f"Wrote {path}")
    if len(files) == 1:
        print("No PDF: Chromium is not installed. Open the HTML file and print it to PDF.")
    return 0


def cmd_db_sql(_args: argparse.Namespace) -> int:
    """Print the SQL that prepares a PostgreSQL database for the workshop."""
    from workshop_lib.responses.sql import postgres_setup_sql

    print(postgres_setup_sql())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `workshop` command."""
    parser = argparse.ArgumentParser(
        prog="workshop",
        description="Trainer tools for the TIP/SOM international framework workshop.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--cohort", default=DEFAULT_COHORT, help="cohort name (default: demo)")
    common.add_argument(
        "--responses-dir",
        type=Path,
        default=None,
        help="where participants' answers are kept (default: the notebooks' own default)",
    )
    common.add_argument(
        "--notebooks", type=Path, default=notebooks_dir(), help="folder of the agenda notebooks"
    )

    run = sub.add_parser("run", parents=[common], help="execute the agenda notebooks")
    run.add_argument(
        "--country",
        action="append",
        default=[],
        help="country name or ISO code; repeat for several countries",
    )
    run.add_argument("--participant", default="", help="participant id to inject (default: none)")
    run.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: build)")
    run.add_argument(
        "--jobs", type=int, default=0, help="notebooks run at once (default: the number of CPUs)"
    )
    run.set_defaults(func=cmd_run)

    report = sub.add_parser("report", help="write the cohort's answers as a report")
    report.add_argument(
        "responses_dir",
        nargs="?",
        default=None,
        help="responses folder or database URL (default: $WORKSHOP_RESPONSES_URL, else "
        "$WORKSHOP_RESPONSES_DIR, else notebooks/responses)",
    )
    report.add_argument("--cohort", default=None, help="only this cohort (default: all)")
    report.add_argument("--out", type=Path, default=None, help="output file")
    report.add_argument("--format", choices=["html", "csv", "xlsx"], default="html")
    report.set_defaults(func=cmd_report)

    slides = sub.add_parser("slides", help="write the presentation notebooks as slide decks")
    slides.add_argument("notebooks", nargs="*", help="notebooks (default: the presentations)")
    slides.add_argument("--out", type=Path, default=DEFAULT_OUT / "slides", help="output folder")
    slides.set_defaults(func=cmd_slides)

    handout = sub.add_parser("handout", help="write a printable handout for a country")
    handout.add_argument("--country", required=True, help="country name or ISO code")
    handout.add_argument("--out", type=Path, default=DEFAULT_OUT / "handouts", help="output folder")
    handout.set_defaults(func=cmd_handout)

    db_sql = sub.add_parser(
        "db-sql", help="print the PostgreSQL set-up (table, roles, row-level security)"
    )
    db_sql.set_defaults(func=cmd_db_sql)

    doctor = sub.add_parser("doctor", help="check this machine and say what to fix")
    doctor.set_defaults(func=lambda _args: run_doctor())

    lab = sub.add_parser("lab", parents=[common], help="start JupyterLab for a participant")
    lab.add_argument("--port", type=int, default=8888, help="port (default: 8888)")
    lab.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    lab.set_defaults(func=cmd_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `workshop` command."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
