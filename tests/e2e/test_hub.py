"""A real JupyterHub on loopback with real Unix users: two participants log in, answer the
checklist in their own kernels (running as themselves), cannot read or forge each other's
answers, and a trainer (a Unix user in the trainers' group) reports both. The hub uses the
shipped deploy/jupyterhub_config.py, which prepares the shared responses folder, hands out the
participant copies of the notebooks into each participant's home (a later version replaces only
what the participant did not change), and sends participants to the participant view and
trainers (hub admins) to JupyterLab."""

from __future__ import annotations

import datetime
import grp
import json
import os
import pwd
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests
import websocket

from tests.conftest import PARTICIPANT_AGENDA
from tests.e2e.conftest import ARTIFACTS, execute, free_port, stop, wait_for
from tests.e2e.participant import offline
from tests.unix_users import SYSTEM_PYTHON, cannot_make_users, full_pythonpath, make_world
from workshop_lib.paths import PROJECT_ROOT

REASON = cannot_make_users()
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(bool(REASON), reason=REASON or "")]
CHP = PROJECT_ROOT / ".e2e" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "workshop-test-password"
TOKEN = "workshop-admin-token-0123456789abcdef"
COHORT = "hub-cohort"
AGENDA = PARTICIPANT_AGENDA


def jupyter_folders_beside(pythonpath: str) -> None:
    """When the users' PYTHONPATH is a copy of the packages (the venv cannot be entered),
    put the packages' Jupyter folders beside the copy, where a user's server looks for them."""
    site_packages = Path(pythonpath.split(":")[1])
    prefix = Path(sys.prefix)
    if site_packages.is_relative_to(prefix):
        return
    for part in ("share/jupyter", "etc/jupyter"):
        target = site_packages.parent / part
        if (prefix / part).is_dir() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["cp", "-a", str(prefix / part), str(target)], check=True)
            subprocess.run(["chmod", "-R", "a+rX", str(target.parent)], check=True)


@pytest.fixture(scope="module")
def hub():
    assert CHP.exists(), "configurable-http-proxy is missing: run .ci/ensure-system-deps"
    world = make_world()
    try:
        trainers = world.group("wshtr")
        alice, bob = world.user("wshal", home=True), world.user("wshbo", home=True)
        trainer = world.user("wshtn", groups=(trainers,))
        admin = world.user("wshad", home=True)  # a trainer who uses the hub (JupyterLab)
        pythonpath = full_pythonpath(world)
        jupyter_folders_beside(pythonpath)
        site_packages = pythonpath.split(":")[1]
        responses = world.root / "responses"
        port = free_port()
        env = dict(
            os.environ,
            WORKSHOP_HUB_DIR=str(world.root / "state"),
            WORKSHOP_RESPONSES_DIR=str(responses),
            WORKSHOP_TRAINERS_GROUP=trainers,
            WORKSHOP_HUB_USERS=f"{alice},{bob}",
            WORKSHOP_HUB_ADMINS=admin,
            WORKSHOP_HUB_COHORT=COHORT,
            WORKSHOP_HUB_COUNTRY="Kenya",
            WORKSHOP_HUB_PASSWORD=PASSWORD,
            WORKSHOP_HUB_PORT=str(port),
            WORKSHOP_HUB_PROXY_API_PORT=str(free_port()),
            WORKSHOP_HUB_HUB_PORT=str(free_port()),
            WORKSHOP_CHP=str(CHP),
            WORKSHOP_HUB_API_TOKEN=TOKEN,
            WORKSHOP_HUB_SPAWNER="local",
            WORKSHOP_SINGLEUSER_PYTHON=SYSTEM_PYTHON,
            WORKSHOP_SINGLEUSER_PYTHONPATH=pythonpath,
            JUPYTER_PATH=str(Path(site_packages).parents[2] / "share" / "jupyter"),
            PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        )
        env.pop("JUPYTERHUB_USER", None)
        env.pop("WORKSHOP_RESPONSES_URL", None)
        env.pop("WORKSHOP_HUB_PUBLISHED_DIR", None)  # the hub publishes the agenda itself
        log = (world.root / "hub.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterhub",
                "-f",
                str(PROJECT_ROOT / "deploy" / "jupyterhub_config.py"),
            ],
            cwd=world.root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/hub/api/", seconds=90)
            yield {
                "base": f"http://127.0.0.1:{port}",
                "responses": responses,
                "log": world.root / "hub.log",
                "world": world,
                "users": (alice, bob),
                "trainer": trainer,
                "trainers": trainers,
                "admin": admin,
                "published": world.root / "published",
                "pythonpath": pythonpath,
            }
        finally:
            stop(process)
            log.close()
    finally:
        world.remove()


def log_in(hub, user: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{hub['base']}/hub/login", timeout=30)
    response = session.post(
        f"{hub['base']}/hub/login?next=",
        data={"username": user, "password": PASSWORD, "_xsrf": session.cookies.get("_xsrf")},
        timeout=60,
    )
    assert response.status_code == 200, (
        response.url,
        [r.url for r in response.history],
        response.text[:300],
    )
    return session


def wait_until_ready(hub, user: str) -> None:
    headers = {"Authorization": f"token {TOKEN}"}
    deadline = time.time() + 120
    while time.time() < deadline:
        model = requests.get(
            f"{hub['base']}/hub/api/users/{user}", headers=headers, timeout=30
        ).json()
        server = (model.get("servers") or {}).get("")
        if server and server.get("ready"):
            return
        if not server or not server.get("pending"):
            requests.post(f"{hub['base']}/hub/api/users/{user}/server", headers=headers, timeout=30)
        time.sleep(1)
    raise TimeoutError(f"{user}'s server did not start; see {hub['log']}")


def run_in_kernel(hub, user: str, code: str) -> str:
    """Run `code` in a new kernel of `user`'s own server; return what it printed."""
    headers = {"Authorization": f"token {TOKEN}"}
    api = f"{hub['base']}/user/{user}/api"
    kernel = requests.post(f"{api}/kernels", json={"name": "python3"}, headers=headers, timeout=60)
    assert kernel.status_code == 201, kernel.text
    kernel_id = kernel.json()["id"]
    ws = websocket.create_connection(
        f"{api.replace('http', 'ws', 1)}/kernels/{kernel_id}/channels",
        header=[f"Authorization: token {TOKEN}"],
        timeout=120,
    )
    try:
        return execute(ws, code, username=user)
    finally:
        ws.close()
        requests.delete(f"{api}/kernels/{kernel_id}", headers=headers, timeout=30)


ANSWER = """
from workshop_lib.notebook import checklist, start
session = start("05_post_session_checklist", "", "hub-cohort", "", "")
widget = checklist()
widget.rows["all-elements"].choice.value = {answer!r}
widget.rows["framework-areas.cooperation"].note.value = {note!r}
print(session.participant, widget.progress.value, session.store.root)
"""

ATTACK = """
import os
from workshop_lib.errors import WorkshopError
from workshop_lib.responses.folder import FolderStore
root = {root!r}
for name, attempt in [
    ("list", lambda: os.listdir(root)),
    ("read", lambda: open(os.path.join(root, {other!r}, {file!r})).read()),
    ("plant", lambda: os.mkdir(os.path.join(root, "mallory"))),
]:
    try:
        attempt()
        print(name, "allowed")
    except PermissionError:
        print(name, "denied")
try:
    FolderStore(root).save(
        {other!r}, "hub-cohort", "05_post_session_checklist", "note.x", "forged", kind="note"
    )
    print("forge allowed")
except WorkshopError as exc:
    print("forge refused")
"""
FILE = "hub-cohort~05_post_session_checklist~post-session-checklist.json"


def test_two_participants_answer_as_themselves_and_the_trainer_reports_both(hub):
    answers = {}
    for user, answer, note in zip(
        hub["users"], ("Yes", "No"), ("Ratified in 2004", "Не знаю"), strict=True
    ):
        log_in(hub, user)
        wait_until_ready(hub, user)
        printed = run_in_kernel(hub, user, ANSWER.format(answer=answer, note=note))
        assert printed.split() == [user, "1", str(hub["responses"])]
        answers[user] = (answer, note)

    gid = grp.getgrnam(hub["trainers"]).gr_gid
    files = sorted(
        p.relative_to(hub["responses"]).as_posix() for p in hub["responses"].rglob("*.json")
    )
    assert files == [f"{user}/{FILE}" for user in sorted(hub["users"])]
    for user in hub["users"]:
        info = (hub["responses"] / user / FILE).stat()
        assert (info.st_uid, info.st_gid) == (pwd.getpwnam(user).pw_uid, gid)

    alice, bob = hub["users"]
    printed = run_in_kernel(
        hub, bob, ATTACK.format(root=str(hub["responses"]), other=alice, file=FILE)
    )
    assert printed.split("\n")[:4] == [
        "list denied",
        "read denied",
        "plant denied",
        "forge refused",
    ]

    desk = hub["world"].root / "trainer-desk"
    desk.mkdir()
    os.chown(desk, pwd.getpwnam(hub["trainer"]).pw_uid, -1)
    out = desk / "report.html"
    report = "import sys; from workshop_lib.cli import main; sys.exit(main(sys.argv[1:]))"
    result = hub["world"].python(
        hub["trainer"], report, "report", str(hub["responses"]), "--cohort", "hub-cohort",
        "--out", str(out), "--names", pythonpath=hub["pythonpath"],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Skipped" not in result.stderr
    page = out.read_text(encoding="utf-8")
    assert "2 participant(s), 2 answer(s)." in page
    for user, (_, note) in answers.items():
        assert f"<em>{user}</em>: <bdi>{note}</bdi>" in page
    assert "aria-label='Yes 1, Partly 0, No 1" in page, "question 2: one Yes, one No"


def test_idle_kernels_and_servers_are_culled(hub):
    services = requests.get(
        f"{hub['base']}/hub/api/services", headers={"Authorization": f"token {TOKEN}"}, timeout=30
    ).json()
    assert "idle-culler" in services
    alice = hub["users"][0]
    wait_until_ready(hub, alice)
    servers = [
        p.info["cmdline"]
        for p in psutil.process_iter(["username", "cmdline"])
        if p.info["username"] == alice and "jupyterhub.singleuser" in (p.info["cmdline"] or [])
    ]
    assert len(servers) == 1
    assert "--MappingKernelManager.cull_idle_timeout=2700" in servers[0]
    assert "--allow-root" not in servers[0]


def test_a_wrong_password_is_refused(hub):
    session = requests.Session()
    session.get(f"{hub['base']}/hub/login", timeout=30)
    response = session.post(
        f"{hub['base']}/hub/login?next=",
        data={
            "username": hub["users"][0],
            "password": "wrong",
            "_xsrf": session.cookies.get("_xsrf"),
        },
        timeout=30,
    )
    assert response.status_code == 403


def home_of(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir)


def cell_sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"]]


def test_each_participant_home_holds_the_participant_copies(hub):
    for user in hub["users"]:
        wait_until_ready(hub, user)
        home = home_of(user)
        notebooks = sorted(p.name for p in home.glob("*.ipynb"))
        assert notebooks == AGENDA, user  # no trainer dashboard
        uid = pwd.getpwnam(user).pw_uid
        for name in AGENDA:
            path = home / name
            assert path.stat().st_uid == uid, (user, name)
            notebook = json.loads(path.read_text(encoding="utf-8"))
            tags = [t for c in notebook["cells"] for t in c.get("metadata", {}).get("tags", [])]
            assert "trainer" not in tags, (user, name)
            injected = next(
                "".join(c["source"])
                for c in notebook["cells"]
                if "injected-parameters" in c.get("metadata", {}).get("tags", [])
            )
            assert f'cohort = "{COHORT}"' in injected and 'country = "KEN"' in injected
        assert (home / ".workshop-handout.json").stat().st_uid == uid
    admin_home = home_of(hub["admin"])
    wait_until_ready(hub, hub["admin"])
    assert not list(admin_home.glob("*.ipynb")), "trainers get no participant copies"


def landing(hub, user: str) -> str:
    """Where a user's server sends them (its default URL), asked with the service token."""
    wait_until_ready(hub, user)
    response = requests.get(
        f"{hub['base']}/user/{user}/",
        headers={"Authorization": f"token {TOKEN}"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code in (301, 302), response.status_code
    return response.headers["Location"].split("?")[0]


def test_participants_land_on_the_participant_view_and_trainers_in_jupyterlab(hub, browser):
    alice, bob = hub["users"]
    assert landing(hub, bob) == f"/user/{bob}/voila/render/00_welcome.ipynb"
    assert landing(hub, hub["admin"]) == f"/user/{hub['admin']}/lab"

    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(120_000)
    page = context.new_page()
    try:
        outside = offline(page)
        page.goto(f"{hub['base']}/hub/login")
        page.get_by_label("Username").fill(alice)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**/user/{alice}/voila/render/00_welcome.ipynb*")
        page.locator("#rendered_cells").wait_for(state="visible")
        assert page.get_by_role("navigation", name="Agenda").get_by_role("link").count() == 6
        picker = page.get_by_label("Country", exact=True)
        assert picker.input_value() == "Kenya"  # the country the hub filled in
        picker.select_option(label="Ghana")
        page.get_by_text("Saved at").first.wait_for()
        assert "workshop_lib" not in page.locator("body").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hub-participant-view.png"), full_page=True)
        assert outside == []
    finally:
        context.close()
    answer = hub["responses"] / alice / f"{COHORT}~00_welcome~country.json"
    record = json.loads(answer.read_text(encoding="utf-8"))
    assert record["participant"] == alice and record["answer"] == {"country": "GHA"}
    assert answer.stat().st_uid == pwd.getpwnam(alice).pw_uid


def restart(hub, user: str) -> None:
    headers = {"Authorization": f"token {TOKEN}"}
    requests.delete(f"{hub['base']}/hub/api/users/{user}/server", headers=headers, timeout=60)
    deadline = time.time() + 60
    while time.time() < deadline:
        model = requests.get(
            f"{hub['base']}/hub/api/users/{user}", headers=headers, timeout=30
        ).json()
        if not (model.get("servers") or {}):
            break
        time.sleep(0.5)
    wait_until_ready(hub, user)


CHANGE = """
import json, sys
path = sys.argv[1]
notebook = json.load(open(path, encoding="utf-8"))
notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "My own notes"})
json.dump(notebook, open(path, "w", encoding="utf-8"))
"""


def test_an_update_replaces_unchanged_notebooks_and_goes_beside_changed_ones(hub):
    alice, bob = hub["users"]
    name = "01_untoc_and_protocols.ipynb"
    answers_before = sorted(p.name for p in hub["responses"].rglob("*.json"))
    changed = hub["world"].python(alice, CHANGE, str(home_of(alice) / name))
    assert changed.returncode == 0, changed.stderr
    bob_welcome = (home_of(bob) / "00_welcome.ipynb").read_bytes()

    # The trainer publishes a new version of notebook 01.
    published = hub["published"] / name
    notebook = json.loads(published.read_text(encoding="utf-8"))
    notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "Updated"})
    published.write_text(json.dumps(notebook), encoding="utf-8")

    for user in (alice, bob):
        restart(hub, user)
    assert cell_sources(home_of(bob) / name)[-1] == "Updated"
    assert (home_of(bob) / "00_welcome.ipynb").read_bytes() == bob_welcome
    assert cell_sources(home_of(alice) / name)[-1] == "My own notes"
    day = datetime.date.today().isoformat()
    beside = home_of(alice) / f"01_untoc_and_protocols (updated {day}).ipynb"
    assert cell_sources(beside)[-1] == "Updated"
    assert beside.stat().st_uid == pwd.getpwnam(alice).pw_uid
    assert not (home_of(bob) / beside.name).exists()
    assert sorted(p.name for p in hub["responses"].rglob("*.json")) == answers_before

    restart(hub, alice)  # a later start adds nothing more and overwrites nothing
    assert sorted(p.name for p in home_of(alice).glob("*.ipynb")) == sorted([*AGENDA, beside.name])
    assert cell_sources(home_of(alice) / name)[-1] == "My own notes"
