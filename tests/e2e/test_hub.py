"""A real JupyterHub on loopback: two participants log in, answer the checklist in their own
kernels, and the trainer's report shows both, keyed by their hub user names. The hub uses the
shipped deploy/jupyterhub_config.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import websocket

from tests.e2e.conftest import free_port, stop, wait_for
from workshop_lib.cli import main
from workshop_lib.paths import PROJECT_ROOT

pytestmark = pytest.mark.e2e
CHP = PROJECT_ROOT / ".e2e" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "workshop-test-password"
TOKEN = "workshop-admin-token-0123456789abcdef"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    assert CHP.exists(), "configurable-http-proxy is missing: run .ci/ensure-system-deps"
    root = tmp_path_factory.mktemp("hub")
    responses = root / "responses"
    responses.mkdir()
    os.chmod(responses, 0o3773)
    port = free_port()
    env = dict(
        os.environ,
        WORKSHOP_HUB_DIR=str(root / "state"),
        WORKSHOP_RESPONSES_DIR=str(responses),
        WORKSHOP_HUB_USERS="alice,bob",
        WORKSHOP_HUB_PASSWORD=PASSWORD,
        WORKSHOP_HUB_PORT=str(port),
        WORKSHOP_HUB_PROXY_API_PORT=str(free_port()),
        WORKSHOP_HUB_HUB_PORT=str(free_port()),
        WORKSHOP_CHP=str(CHP),
        WORKSHOP_HUB_API_TOKEN=TOKEN,
        WORKSHOP_HUB_SPAWNER="simple",
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    )
    env.pop("JUPYTERHUB_USER", None)
    log = (root / "hub.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterhub",
            "-f",
            str(PROJECT_ROOT / "deploy" / "jupyterhub_config.py"),
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/hub/api/", seconds=90)
        yield {"base": f"http://127.0.0.1:{port}", "responses": responses, "log": root / "hub.log"}
    finally:
        stop(process)
        log.close()


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
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": user,
                    "session": uuid.uuid4().hex,
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    printed, errors = [], []
    while True:
        message = json.loads(ws.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = message["header"]["msg_type"]
        if kind == "stream":
            printed.append(message["content"]["text"])
        elif kind == "error":
            errors.append("\n".join(message["content"]["traceback"]))
        elif kind == "status" and message["content"]["execution_state"] == "idle":
            break
    ws.close()
    requests.delete(f"{api}/kernels/{kernel_id}", headers=headers, timeout=30)
    assert not errors, errors
    return "".join(printed)


ANSWER = """
from workshop_lib.notebook import checklist, start
session = start("05_post_session_checklist", "", "hub-cohort", "", "")
widget = checklist()
widget.rows["ratification-status"].choice.value = {answer!r}
widget.rows["framework-areas.cooperation"].note.value = {note!r}
print(session.participant, widget.progress.value, session.store.root)
"""


def test_two_participants_and_the_trainer_report(hub, tmp_path):
    for user, answer, note in (("alice", "Yes", "Ratified in 2004"), ("bob", "No", "Не знаю")):
        log_in(hub, user)
        wait_until_ready(hub, user)
        printed = run_in_kernel(hub, user, ANSWER.format(answer=answer, note=note))
        assert printed.split() == [user, "1", str(hub["responses"])]

    files = sorted(
        p.relative_to(hub["responses"]).as_posix() for p in hub["responses"].rglob("*.json")
    )
    assert files == [
        "alice/hub-cohort__05_post_session_checklist__post-session-checklist.json",
        "bob/hub-cohort__05_post_session_checklist__post-session-checklist.json",
    ]
    out = tmp_path / "report.html"
    assert main(["report", str(hub["responses"]), "--cohort", "hub-cohort", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "2 participant(s), 2 answer(s)." in page
    assert "<p class='who'>alice</p><p class='note'>Ratified in 2004</p>" in page
    assert "<p class='who'>bob</p><p class='note'>Не знаю</p>" in page
    assert "<td>Yes</td><td>1</td>" in page and "<td>No</td><td>1</td>" in page


def test_a_wrong_password_is_refused(hub):
    session = requests.Session()
    session.get(f"{hub['base']}/hub/login", timeout=30)
    response = session.post(
        f"{hub['base']}/hub/login?next=",
        data={"username": "alice", "password": "wrong", "_xsrf": session.cookies.get("_xsrf")},
        timeout=30,
    )
    assert response.status_code == 403
