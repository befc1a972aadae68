"""The `workshop` command line for trainers: copy the notebooks, run the agenda, start
JupyterLab, and the trainer tools (report, slides, handout, doctor, database and hub set-up).

A mistake on the command line (an option out of range, a folder that cannot be written, a file
that is not a notebook, a setting the notebooks cannot use) is answered with one sentence on
stderr and exit code 2, never a traceback.

Every command that prints or writes something for people takes `--lang CODE` (English, `en`, by
default): the command speaks that language (`workshop_lib.i18n.catalog.use`), works on the
notebooks in that language (`notebooks/<code>/`) and writes what it writes in it. `workshop run`
keeps the languages apart: English into OUT/COHORT/, another language into OUT/COHORT/<code>/.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import nbformat
from tqdm import tqdm

from workshop_lib.config import (
    DEFAULT_COHORT,
    ENV_RESPONSES_DIR,
    ENV_RESPONSES_URL,
    cohort_name,
    is_database_url,
    responses_location,
)
from workshop_lib.errors import WorkshopError, sentence
from workshop_lib.facts.status import resolve_country
from workshop_lib.i18n.catalog import _, language, use
from workshop_lib.i18n.languages import DEFAULT, LANGUAGES
from workshop_lib.i18n.notebooks import notebook_folder
from workshop_lib.participant.launch import lab_command, language_environment, participant_server
from workshop_lib.paths import PACKAGE_DIR
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.responses.folder import prepare_participant_folder, prepare_shared_folder
from workshop_lib.responses.keys import safe_key
from workshop_lib.trainer.doctor import main as run_doctor
from workshop_lib.trainer.handout import write_handout
from workshop_lib.trainer.report import write_report
from workshop_lib.trainer.runner import (
    NotebookResult,
    Task,
    agenda_notebooks,
    copy_for_participants,
    is_for_participants,
    run_tasks,
)
from workshop_lib.trainer.slides import ASSETS, make_deck, presentation_notebooks

DEFAULT_OUT = Path("build")
MAX_PORT = 65535


class CommandLineError(WorkshopError):
    """An argument or option the command cannot use; the message says which and what to do."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


def output_folder(path: Path, option: str = "--out") -> Path:
    """`path` made ready as a folder to write into (created when missing), or one sentence
    saying why it cannot be (a file is there, it cannot be created or written)."""
    if path.exists() and not path.is_dir():
        raise CommandLineError(
            _("{option} {path} is a file, not a folder: choose a folder.").format(
                option=option, path=path
            )
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise CommandLineError(
            _("The folder {path} cannot be written ({reason}): choose another {option}.").format(
                path=path, reason=_reason(exc), option=option
            )
        ) from exc
    return path


def output_file(path: Path, example: str) -> Path:
    """`path` as a file to write, in a folder that can be written; a folder is refused."""
    if path.is_dir():
        raise CommandLineError(
            _("--out {path} is a folder: give a file name, for example {example}.").format(
                path=path, example=path / example
            )
        )
    output_folder(path.parent)
    return path


def cohort_folder(cohort: str) -> str:
    """The folder name for a cohort: the name itself when it is a plain lower-case name, else a
    safe name made from it (the one the responses store uses), so it never leaves --out."""
    return safe_key(cohort)


def _notebooks_folder(folder: Path | None) -> Path:
    """The --notebooks folder, by default this package's agenda in the command's language."""
    folder = folder or notebook_folder(language())
    if not folder.is_dir():
        raise CommandLineError(_("There is no notebooks folder at {folder}.").format(folder=folder))
    return folder


def _responses_option(value: str) -> str:
    """The --responses-dir option resolved like the notebooks resolve it: a database URL stays
    a URL (its scheme checked), a folder becomes an absolute path; empty when not given."""
    return responses_location(value) if value else ""


def _summary(results: list[tuple[Task, NotebookResult]]) -> str:
    headers = [_("country"), _("notebook"), _("seconds"), _("result")]
    first = max(len(headers[0]), 7)
    width = max([len(r.name) for _task, r in results] + [len(headers[1]), 8])
    seconds = max(len(headers[2]), 7)
    lines = [
        f"  {headers[0]:<{first}}  {headers[1]:<{width}}  {headers[2]:>{seconds}}  {headers[3]}"
    ]
    for task, r in results:
        verdict = _("ok") if r.ok else _("failed")
        lines.append(
            f"  {task.label or '-':<{first}}  {r.name:<{width}}  "
            f"{r.seconds:{seconds}.1f}  {verdict}"
        )
    for task, r in results:
        if not r.ok:
            where = f"{task.label} {r.name}" if task.label else r.name
            lines.append(
                "  " + _("{notebook} failed at {error}").format(notebook=where, error=r.error)
            )
    return "\n".join(lines)


def run_folder(out: Path, cohort: str, code: str) -> Path:
    """Where `workshop run` writes a cohort's notebooks: OUT/COHORT/ in English, and
    OUT/COHORT/<code>/ in another language, so that both can be run for one cohort (a
    country's subfolder, an upper-case ISO code, never takes a language's lower-case name)."""
    base = out / cohort_folder(cohort)
    return base if code == DEFAULT else base / code


def cmd_run(args: argparse.Namespace) -> int:
    """Run every agenda notebook for the cohort (and each country), in parallel up to the
    number of CPUs, with progress, and print a summary."""
    codes = [resolve_country(c) for c in args.country]
    folder = _notebooks_folder(args.notebooks)
    notebooks = agenda_notebooks(folder)
    if not notebooks:
        raise CommandLineError(
            _("There are no agenda notebooks (00_*.ipynb ...) in {folder}.").format(folder=folder)
        )
    cohort = cohort_name(args.cohort)
    parameters = {
        "cohort": cohort,
        "participant": args.participant,
        "responses_dir": _responses_option(args.responses_dir),
        "lang": language(),
    }
    output_folder(args.out)
    base = run_folder(args.out, cohort, language())
    runs = [(code, base / code) for code in dict.fromkeys(codes)] or [("", base)]
    for _code, out_dir in runs:
        output_folder(out_dir)
    tasks = [
        Task(code, notebook, out_dir, {"country": code, **parameters})
        for code, out_dir in runs
        for notebook in notebooks
    ]
    workers = max(1, min(args.jobs or os.cpu_count() or 1, len(tasks)))
    where = ", ".join(str(out_dir) for _code, out_dir in runs)
    print(
        _("Running {count} notebook(s) into {where} ({workers} at a time)").format(
            count=len(tasks), where=where, workers=workers
        ),
        flush=True,
    )
    with tqdm(total=len(tasks), unit="notebook", disable=None, file=sys.stderr) as bar:

        def done(count: int, task: Task, result: NotebookResult) -> None:
            verdict = _("ok") if result.ok else _("FAILED: {error}").format(error=result.error)
            label = f"{task.label} " if task.label else ""
            bar.write(
                f"[{count}/{len(tasks)}] {label}{result.name}: {verdict} ({result.seconds:.1f} s)",
                file=sys.stdout,
            )
            bar.update(1)

        results = run_tasks(tasks, workers, done)
    print(_("Summary:") + "\n" + _summary(list(zip(tasks, results, strict=True))), flush=True)
    print(_("Files are in {where}.").format(where=where), flush=True)
    return 0 if all(r.ok for r in results) else 1


def cmd_init(args: argparse.Namespace) -> int:
    """Copy the agenda notebooks of this package, in the command's language, into a folder:
    participant copies (without the trainer's notes and notebooks), or with --trainer all of
    them as they are."""
    notebooks = agenda_notebooks(notebook_folder(language()))
    if not args.trainer:
        notebooks = [n for n in notebooks if is_for_participants(n)]
    folder: Path = args.folder
    if folder.exists() and not folder.is_dir():
        raise CommandLineError(
            _("{folder} is a file, not a folder: choose a folder.").format(folder=folder)
        )
    existing = [n.name for n in notebooks if (folder / n.name).exists()]
    if existing and not args.force:
        raise CommandLineError(
            _("{folder} already has {names}: add --force to replace them.").format(
                folder=folder, names=", ".join(existing)
            )
        )
    output_folder(folder, "folder")
    for notebook in notebooks:
        target = folder / notebook.name
        try:
            if args.trainer:
                shutil.copyfile(notebook, target)
            else:
                copy_for_participants(notebook, target)
        except OSError as exc:
            raise CommandLineError(
                _("{target} cannot be written ({reason}).").format(
                    target=target, reason=_reason(exc)
                )
            ) from exc
    if args.trainer:
        kind = _("trainer copies (with the trainer notes)")
    else:
        kind = _("participant copies")
    print(
        _("Wrote {count} notebook(s) to {folder} as {kind}.").format(
            count=len(notebooks), folder=folder, kind=kind
        )
    )
    lang = "" if language() == DEFAULT else f" --lang {language()}"
    print(_("Open them with: {command}").format(command=f"workshop lab --notebooks {folder}{lang}"))
    return 0


def lab_environment(responses_dir: str, base: Mapping[str, str]) -> dict[str, str]:
    """The environment for JupyterLab: `base`, with the --responses-dir option (when given) as
    WORKSHOP_RESPONSES_URL for a database or WORKSHOP_RESPONSES_DIR for a folder."""
    env = dict(base)
    location = _responses_option(responses_dir)
    if location and is_database_url(location):
        env[ENV_RESPONSES_URL] = location
    elif location:
        env[ENV_RESPONSES_DIR] = location
        env.pop(ENV_RESPONSES_URL, None)  # a URL would win over the folder given here
    return env


def cmd_lab(args: argparse.Namespace) -> int:
    """Start JupyterLab on the notebooks folder (by default the agenda in the command's
    language) and print the address to open. In another language than English, JupyterLab's
    own menus speak it too (its language pack chosen for this server only, see
    `workshop_lib.participant.launch.language_environment`), and so does the participant view."""
    folder = _notebooks_folder(args.notebooks).resolve()
    if folder.is_relative_to(PACKAGE_DIR):
        raise CommandLineError(
            _(
                "The notebooks inside the installed package are not for editing: copy them with "
                "`workshop init DIR`, then run `workshop lab --notebooks DIR`."
            )
        )
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="workshop-lab-") as settings:
        env = language_environment(
            lab_environment(args.responses_dir, os.environ), language(), Path(settings)
        )
        command = lab_command(folder, args.ip, args.port, token)
        address = f"http://{args.ip}:{args.port}/lab?token={token}"
        if args.participant:  # the same server, opened on the participant view's first page
            command, env, address = participant_server(folder, args.ip, args.port, token, env)
        print(_("Open {address} in your browser.").format(address=address), flush=True)
        print(_("Stop JupyterLab with Ctrl+C."), flush=True)
        try:
            return subprocess.call(command, env=env)
        except KeyboardInterrupt:
            return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write the cohort's answers as an offline HTML report, or the raw table as CSV/XLSX."""
    location = responses_location(args.responses_dir or "")
    if not is_database_url(location) and not Path(location).is_dir():
        raise CommandLineError(
            _("There is no responses folder at {location}.").format(location=location)
        )
    name = args.cohort or _("all cohorts")
    file_name = f"report.{args.format}"
    folder = cohort_folder(args.cohort) if args.cohort else "all"
    out = output_file(args.out or DEFAULT_OUT / folder / file_name, file_name)
    try:
        answers = load_cohort(location, args.cohort)
    except OSError as exc:
        raise CommandLineError(
            _("The answers in {location} cannot be read ({reason}).").format(
                location=location, reason=_reason(exc)
            )
        ) from exc
    shown = answers if args.names else answers.anonymous()
    try:
        write_report(shown, out, args.format, _("Workshop answers: {name}").format(name=name))
    except OSError as exc:
        raise CommandLineError(
            _("{target} cannot be written ({reason}).").format(target=out, reason=_reason(exc))
        ) from exc
    people = len({r["participant"] for r in answers.records})
    print(
        _("Wrote {file}: {answers} answer(s) from {people} participant(s).").format(
            file=out, answers=len(answers.records), people=people
        )
    )
    for skipped in answers.skipped:
        print(_("Skipped {what}").format(what=skipped), file=sys.stderr)
    return 0


def _check_notebook(path: Path) -> None:
    """One sentence unless `path` is a notebook file that can be read."""
    if not path.exists():
        raise CommandLineError(_("No such notebook: {path}.").format(path=path))
    if path.suffix != ".ipynb" or not path.is_file():
        raise CommandLineError(_("{path} is not a notebook (an .ipynb file).").format(path=path))
    try:
        nbformat.read(path, as_version=4)
    except (OSError, ValueError, KeyError, AttributeError, TypeError, nbformat.ValidationError):
        raise CommandLineError(
            _("{path} is not a notebook that can be read.").format(path=path)
        ) from None


def cmd_slides(args: argparse.Namespace) -> int:
    """Write the presentation notebooks (by default the agenda's, in the command's language) as
    offline reveal.js decks."""
    notebooks = [Path(n) for n in args.notebooks] or presentation_notebooks(
        notebook_folder(language())
    )
    for notebook in notebooks:
        _check_notebook(notebook)
    if args.country:
        resolve_country(args.country)
    out = args.out or slides_folder(language())
    output_folder(out)
    for notebook in notebooks:
        deck = make_deck(notebook, out, args.country)
        print(_("Wrote {file}").format(file=deck), flush=True)
    print(
        _(
            "Open a deck in a browser (no network needed; keep the {assets}/ folder beside it). "
            "Press S for the speaker notes, F for full screen, Esc for the overview."
        ).format(assets=ASSETS)
    )
    return 0


def slides_folder(code: str) -> Path:
    """The default folder of the decks: build/slides in English, build/slides/<code> in another
    language (the decks have the same names in every language)."""
    folder = DEFAULT_OUT / "slides"
    return folder if code == DEFAULT else folder / code


def cmd_handout(args: argparse.Namespace) -> int:
    """Write the printable country handout (HTML, and PDF where Chromium is installed)."""
    resolve_country(args.country)
    files = write_handout(args.country, output_folder(args.out), args.paper)
    for path in files:
        print(_("Wrote {file}").format(file=path))
    if len(files) == 1:
        print(_("No PDF: Chromium is not installed. Open the HTML file and print it to PDF."))
    return 0


def cmd_db_sql(_args: argparse.Namespace) -> int:
    """Print the SQL that prepares a PostgreSQL database for the workshop."""
    from workshop_lib.responses.sql import postgres_setup_sql

    print(postgres_setup_sql())
    return 0


def cmd_prepare_shared_folder(args: argparse.Namespace) -> int:
    """Prepare a hub's shared responses folder for the trainers' group and, for each
    --participant, that participant's own folder in it (as root)."""
    if not hasattr(os, "geteuid"):
        raise CommandLineError("prepare-shared-folder works on Linux and other Unix systems only.")
    if os.geteuid() != 0:
        raise CommandLineError(
            "prepare-shared-folder changes owners and modes, so it must run as root "
            "(for example with sudo)."
        )
    import grp
    import pwd

    try:
        grp.getgrnam(args.trainers_group)
    except KeyError:
        raise CommandLineError(
            f"There is no group named '{args.trainers_group}': create it with "
            f"`groupadd {args.trainers_group}` first."
        ) from None
    unknown = []
    for name in args.participant:
        try:
            pwd.getpwnam(name)
        except KeyError:
            unknown.append(name)
    if unknown:
        raise CommandLineError(
            f"There is no user named {', '.join(repr(n) for n in unknown)}: each --participant "
            "is the Unix user of a participant."
        )
    try:
        root = prepare_shared_folder(args.folder, args.trainers_group)
        print(f"Prepared {root} for the group '{args.trainers_group}'.")
        for name in dict.fromkeys(args.participant):
            folder = prepare_participant_folder(root, name, name, args.trainers_group)
            print(f"Prepared {folder} for {name}.")
    except WorkshopError:
        raise
    except OSError as exc:
        raise CommandLineError(f"{args.folder} cannot be prepared ({_reason(exc)}).") from exc
    return 0


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: the command and one sentence."""

    def error(self, message: str):
        """Print the mistake as one sentence (with where to find help) and exit with code 2."""
        text = " ".join(message.split()).rstrip(".")
        self.exit(2, f"{self.prog}: {text} (see `{self.prog} --help`).\n")


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def _jobs(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(
            f"{value} is not a number of notebooks: use 1 or more, or 0 for one per CPU"
        )
    return value


def _port(text: str) -> int:
    value = _whole_number(text)
    if not 1 <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{value} is not a port: use 1 to {MAX_PORT}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `workshop` command."""
    parser = _Parser(
        prog="workshop",
        description="Trainer tools for the TIP/SOM international framework workshop.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--cohort", default=DEFAULT_COHORT, help="cohort name (default: demo)")
    common.add_argument(
        "--responses-dir",
        default="",
        help="where participants' answers are kept: a folder or a database URL "
        "(default: the notebooks' own default)",
    )
    common.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help="folder of the agenda notebooks (default: this package's, in the --lang language)",
    )
    languages = argparse.ArgumentParser(add_help=False)
    languages.add_argument(
        "--lang",
        default=DEFAULT,
        metavar="CODE",
        help="the language of the notebooks and of everything the command prints and writes: "
        + ", ".join(f"{code} ({lang.name})" for code, lang in LANGUAGES.items())
        + f" (default: {DEFAULT})",
    )

    init = sub.add_parser(
        "init", parents=[languages], help="copy the agenda notebooks into a folder to work in"
    )
    init.add_argument("folder", type=Path, metavar="DIR", help="folder to copy them into")
    init.add_argument(
        "--trainer",
        action="store_true",
        help="copy every notebook as it is, with the trainer notes and the dashboard",
    )
    init.add_argument("--force", action="store_true", help="replace notebooks already there")
    init.set_defaults(func=cmd_init)

    run = sub.add_parser(
        "run",
        parents=[common, languages],
        help="execute the agenda notebooks",
        description="Execute the agenda notebooks of the --lang language for a cohort. The files "
        "go to OUT/COHORT/ in English and to OUT/COHORT/LANG/ in another language (e.g. "
        "build/demo/fr/), so both languages can be run for one cohort; with --country, into "
        "one subfolder per country (build/demo/KEN/, build/demo/fr/KEN/).",
    )
    run.add_argument(
        "--country",
        action="append",
        default=[],
        help="country name or ISO code; repeat for several countries",
    )
    run.add_argument("--participant", default="", help="participant id to inject (default: none)")
    run.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output folder (default: build); files go to OUT/COHORT/ in English, "
        "OUT/COHORT/LANG/ in another language",
    )
    run.add_argument(
        "--jobs",
        type=_jobs,
        default=0,
        help="notebooks run at once (default 0: as many as there are CPUs)",
    )
    run.set_defaults(func=cmd_run)

    report = sub.add_parser(
        "report", parents=[languages], help="write the cohort's answers as a report"
    )
    report.add_argument(
        "responses_dir",
        nargs="?",
        default=None,
        help="responses folder or database URL (default: $WORKSHOP_RESPONSES_URL, else "
        "$WORKSHOP_RESPONSES_DIR, else ~/workshop-responses)",
    )
    report.add_argument("--cohort", default=None, help="only this cohort (default: all)")
    report.add_argument("--out", type=Path, default=None, help="output file")
    report.add_argument("--format", choices=["html", "csv", "xlsx"], default="html")
    report.add_argument(
        "--names",
        action="store_true",
        help="show participants' ids (default: 'Participant 01', ... in the order of the ids)",
    )
    report.set_defaults(func=cmd_report)

    slides = sub.add_parser(
        "slides", parents=[languages], help="write the presentation notebooks as slide decks"
    )
    slides.add_argument(
        "notebooks", nargs="*", help="notebooks (default: the presentations, in --lang)"
    )
    slides.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: build/slides, build/slides/LANG in another language)",
    )
    slides.add_argument(
        "--country", default=None, help="country name or ISO code: its card gets a slide"
    )
    slides.set_defaults(func=cmd_slides)

    handout = sub.add_parser(
        "handout", parents=[languages], help="write a printable handout for a country"
    )
    handout.add_argument("--country", required=True, help="country name or ISO code")
    handout.add_argument("--out", type=Path, default=DEFAULT_OUT / "handouts", help="output folder")
    handout.add_argument(
        "--paper", choices=["a4", "letter"], default="a4", help="paper size (default: a4)"
    )
    handout.set_defaults(func=cmd_handout)

    db_sql = sub.add_parser(
        "db-sql", help="print the PostgreSQL set-up (table, roles, row-level security)"
    )
    db_sql.set_defaults(func=cmd_db_sql)

    shared = sub.add_parser(
        "prepare-shared-folder",
        help="prepare a hub's shared responses folder and participants' folders (as root)",
    )
    shared.add_argument("folder", type=Path, metavar="DIR", help="the shared responses folder")
    shared.add_argument(
        "--trainers-group", required=True, metavar="GROUP", help="the trainers' Unix group"
    )
    shared.add_argument(
        "--participant",
        action="append",
        default=[],
        metavar="NAME",
        help="a participant's Unix user; repeat for several participants",
    )
    shared.set_defaults(func=cmd_prepare_shared_folder)

    doctor = sub.add_parser("doctor", help="check this machine and say what to fix")
    doctor.set_defaults(func=lambda _args: run_doctor())

    lab = sub.add_parser(
        "lab",
        parents=[common, languages],
        help="start JupyterLab for a participant",
        description="Start JupyterLab on the agenda notebooks of the --lang language; in another "
        "language than English, JupyterLab's menus (its language pack) and the participant view "
        "speak it too, for this server only (your own JupyterLab settings are not changed).",
    )
    lab.add_argument("--port", type=_port, default=8888, help="port, 1-65535 (default: 8888)")
    lab.add_argument("--ip", default="127.0.0.1", help="address to listen on")
    lab.add_argument(
        "--participant",
        action="store_true",
        help="open the participant view: each notebook as a page without code",
    )
    lab.set_defaults(func=cmd_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `workshop` command: a mistake the user can fix is printed as one
    sentence on stderr, with exit code 2. The command speaks its --lang language (an unknown
    code is such a mistake)."""
    args = build_parser().parse_args(argv)
    try:
        use(getattr(args, "lang", DEFAULT))
        return args.func(args)
    except WorkshopError as exc:
        print(sentence(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
