"""`workshop doctor`: check what the workshop needs on this machine and say what to fix."""

from __future__ import annotations

import getpass
import importlib.metadata as metadata
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from workshop_lib.config import ENV_HUB_USER, ENV_RESPONSES_URL, is_database_url, responses_location
from workshop_lib.exercises import content
from workshop_lib.exercises.knowledge_check import load_knowledge_check
from workshop_lib.facts import loader as data
from workshop_lib.facts.challenges import ChallengesError, load_challenges
from workshop_lib.facts.session_plan import SessionPlanError, load_session_plan
from workshop_lib.responses import open_store
from workshop_lib.trainer.handout import find_chromium


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, whether it is fine, and what to do if not."""

    name: str
    ok: bool
    detail: str
    required: bool = True

    def line(self) -> str:
        """The finding as one printed line."""
        mark = "ok  " if self.ok else ("FAIL" if self.required else "note")
        return f"[{mark}] {self.name}: {self.detail}"


def check_python() -> Check:
    """Python 3.11 or newer."""
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check("Python", ok, version if ok else f"{version}; install Python 3.11 or newer")


def check_packages() -> list[Check]:
    """Every dependency installed at a version the project accepts."""
    checks = []
    for line in metadata.requires("tipsom-workshop") or []:
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        try:
            version = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            checks.append(Check(requirement.name, False, "not installed; run `make run`"))
            continue
        ok = requirement.specifier.contains(version, prereleases=True)
        detail = version if ok else f"{version}, but {requirement} is needed; run `make run`"
        checks.append(Check(requirement.name, ok, detail))
    return checks


def check_widget_extension() -> Check:
    """The ipywidgets front end is installed where JupyterLab looks for extensions."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("labextensions"):
        manager = Path(folder) / "@jupyter-widgets" / "jupyterlab-manager"
        if (manager / "package.json").exists():
            return Check("JupyterLab widget extension", True, str(manager))
    return Check(
        "JupyterLab widget extension",
        False,
        "@jupyter-widgets/jupyterlab-manager not found: reinstall with `pip install ipywidgets`",
    )


def check_kernel() -> Check:
    """A `python3` kernel that papermill and nbval can start."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return Check("python3 kernel", False, "no kernel named python3: `pip install ipykernel`")
    return Check("python3 kernel", True, spec.argv[0])


def check_responses(location: str | Path = "") -> Check:
    """The responses folder exists (or can be made) and can be written, or the database
    answers."""
    location = str(location) if location else responses_location()
    folder = location if is_database_url(location) else Path(location)
    if not isinstance(folder, Path):
        try:
            open_store(folder).records(cohort="-")
        except OSError as exc:
            return Check("responses database", False, f"{exc}; check WORKSHOP_RESPONSES_URL")
        return Check("responses database", True, f"{open_store(folder).location} answers")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return Check(
            "responses folder",
            False,
            f"{folder} cannot be written ({exc.strerror}); "
            "set WORKSHOP_RESPONSES_DIR to a writable folder",
        )
    return Check("responses folder", True, f"{folder} is writable")


def _participant_login(location: str) -> bool | None:
    """Whether the URL's role is a member of workshop_participants (so row-level security
    applies to it); None when the database does not answer."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from workshop_lib.responses.sql import PARTICIPANTS_ROLE, SqlStore

    query = text(
        "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :group) "
        "THEN pg_has_role(current_user, :group, 'MEMBER') ELSE false END"
    )
    try:
        with SqlStore(location).engine.connect() as connection:
            return bool(connection.execute(query, {"group": PARTICIPANTS_ROLE}).scalar())
    except (SQLAlchemyError, OSError):
        return None


def check_database_role(location: str | Path = "", hub_user: str | None = None) -> list[Check]:
    """On PostgreSQL, the role a hub user must log in as under row-level security (the user
    name when it fits in 63 bytes, else `workshop_` and a hash), against the role the URL logs
    in as. Nothing to say for a folder or SQLite."""
    from sqlalchemy.engine import make_url

    from workshop_lib.responses.sql import MAX_ROLE_BYTES, ROLE_PREFIX, database_role

    location = str(location) if location else responses_location()
    if not location.lower().startswith("postgresql"):
        return []
    try:
        login = make_url(location).username or getpass.getuser()
    except Exception:  # noqa: BLE001 - the responses check already says the URL is unreadable
        return []
    hub_user = os.environ.get(ENV_HUB_USER, "").strip() if hub_user is None else hub_user
    if not hub_user:
        return [
            Check(
                "database role",
                True,
                f"logs in as '{login}'; each hub user must log in as a role named like the user "
                f"when the name fits in {MAX_ROLE_BYTES} bytes, else as {ROLE_PREFIX} and a "
                "hash (`SELECT workshop_role('NAME')` in the database gives it)",
                required=False,
            )
        ]
    role = database_role(hub_user)
    why = ""
    if role != hub_user:
        size = len(hub_user.encode("utf-8"))
        why = (
            f" ({size} bytes, over PostgreSQL's {MAX_ROLE_BYTES}-byte limit for role names"
            if size > MAX_ROLE_BYTES
            else " (a name PostgreSQL reserves, or one starting with the prefix of mapped roles"
        ) + f", so the role is {ROLE_PREFIX} and a hash of the name)"
    if login == role:
        return [Check("database role", True, f"hub user '{hub_user}'{why} logs in as '{role}'")]
    detail = (
        f"hub user '{hub_user}'{why} must log in as the role '{role}', but "
        f"{ENV_RESPONSES_URL} logs in as '{login}'"
    )
    restricted = _participant_login(location)
    if restricted is None:
        detail += "; the database did not answer, so whether row-level security applies is unknown"
        return [Check("database role", False, detail, required=False)]
    if restricted:
        detail += (
            "; row-level security will refuse every save: create that role "
            f"(IN ROLE workshop_participants) and put it in {ENV_RESPONSES_URL}"
        )
        return [Check("database role", False, detail)]
    return [
        Check(
            "database role",
            True,
            f"logs in as '{login}', which is not a workshop participant's role, so row-level "
            f"security does not apply to it (a participant '{hub_user}' would log in as '{role}')",
        )
    ]


def _invalid(name: str, error: Exception) -> str:
    """'data/NAME is invalid: what is wrong.' as one line (the error's own 'NAME: ' dropped)."""
    text = " ".join(str(error).split()).removeprefix(f"{name}: ").rstrip(".")
    return f"data/{name} is invalid: {text}."


def check_challenges() -> Check:
    """`data/challenges.yaml` loads and validates (and names only scenarios that exist)."""
    try:
        load_challenges()
    except (ChallengesError, content.ContentError) as exc:
        return Check("challenge areas", False, _invalid("challenges.yaml", exc))
    return Check("challenge areas", True, "valid")


def check_session_plan() -> Check:
    """`data/session_plan.yaml` loads, its minutes add up, and every exercise it names exists
    in the exercise content."""
    try:
        plan = load_session_plan()
        known = {a.activity_id for a in content.all_activities()}
    except (SessionPlanError, content.ContentError) as exc:
        return Check("session plan", False, _invalid("session_plan.yaml", exc))
    unknown = [x for item in plan.items for x in item.exercises() if x not in known]
    if unknown:
        return Check(
            "session plan",
            False,
            f"data/session_plan.yaml names exercises the content does not have: "
            f"{', '.join(unknown)}.",
        )
    return Check("session plan", True, "valid")


def check_data() -> list[Check]:
    """The facts, the exercise content, the challenge areas and the session plan load and
    validate."""
    report = data.check_data()
    checks = [
        Check(
            "data files",
            not report.errors,
            "valid" if not report.errors else "; ".join(map(str, report.errors[:5])),
        )
    ]
    if report.findings:
        checks.append(
            Check("UNTOC art. 37(2)", False, "; ".join(map(str, report.findings)), required=False)
        )
    try:
        for quiz_id in content.all_quiz_ids():
            content.load_quiz(quiz_id)
        for set_id in content.all_scenario_set_ids():
            content.load_scenarios(set_id)
        content.load_checklist()
        content.load_polls()
        content.load_prompts()
        load_knowledge_check()
        checks.append(Check("exercise content", True, "valid"))
    except content.ContentError as exc:
        checks.append(Check("exercise content", False, str(exc)))
    checks += [check_challenges(), check_session_plan()]
    return checks


def check_pdf() -> Check:
    """Chromium for PDF handouts (optional: the HTML handout works without it)."""
    chromium = find_chromium()
    detail = chromium or "not found: handouts are HTML only (`apt-get install chromium` for PDF)"
    return Check("Chromium (PDF handouts)", bool(chromium), detail, required=False)


CHECKS: list[Callable[[], Check | list[Check]]] = [
    check_python,
    check_packages,
    check_widget_extension,
    check_kernel,
    check_responses,
    check_database_role,
    check_data,
    check_pdf,
]


def run_checks() -> list[Check]:
    """Every check, in order."""
    found: list[Check] = []
    for check in CHECKS:
        result = check()
        found += result if isinstance(result, list) else [result]
    return found


def main() -> int:
    """Print every check; exit 1 when a required one fails."""
    checks = run_checks()
    for check in checks:
        print(check.line())
    failed = [c for c in checks if c.required and not c.ok]
    print(
        f"{len(failed)} problem(s) to fix." if failed else "Everything the workshop needs is here."
    )
    env = os.environ.get("WORKSHOP_RESPONSES_DIR")
    if env:
        print(f"Answers go to WORKSHOP_RESPONSES_DIR={env}.")
    return 1 if failed else 0
