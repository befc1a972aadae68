"""Servers and a browser for the end-to-end tests: JupyterLab on loopback with a token and a
temporary responses folder, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from workshop_lib.paths import PROJECT_ROOT, notebooks_dir
from workshop_lib.trainer.handout import CHROMIUM_FLAGS, find_chromium

CHROMIUM = find_chromium() or "/usr/bin/chromium"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> None:
    """Poll `url` until it answers 200 OK, or fail."""
    deadline = time.time() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.time() > deadline:
                raise TimeoutError(f"{url} did not answer within {seconds} s") from None
            time.sleep(0.3)


def execute(ws, code: str, username: str = "") -> str:
    """Run `code` in the kernel behind the websocket `ws`; return what it printed (fail on an
    error)."""
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "username": username,
              "session": uuid.uuid4().hex, "version": "5.3"}  # fmt: skip
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}  # fmt: skip
    ws.send(json.dumps({"header": header, "parent_header": {}, "metadata": {},
                        "channel": "shell", "content": content}))  # fmt: skip
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
    assert not errors, errors
    return "".join(printed)


def stop(process: subprocess.Popen) -> None:
    """Stop a server started in its own process group, and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def quiet_lab_settings(home: Path) -> Path:
    """User settings that stop JupyterLab asking about news (the toast covers widgets)."""
    settings = home / "lab-user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    return home / "lab-user-settings"


def server_environment(home: Path, responses: Path) -> dict[str, str]:
    """The environment of a test's Jupyter server: its own home, settings without news, answers
    in `responses`, no hub user and no database."""
    env = dict(
        os.environ,
        HOME=str(home),
        WORKSHOP_RESPONSES_DIR=str(responses),
        JUPYTERLAB_SETTINGS_DIR=str(quiet_lab_settings(home)),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        MPLCONFIGDIR=str(PROJECT_ROOT / ".e2e" / "matplotlib"),  # keep the font cache
    )
    env.pop("JUPYTERHUB_USER", None)
    env.pop("WORKSHOP_RESPONSES_URL", None)
    return env


@contextlib.contextmanager
def running_lab(root: Path, notebooks: Path, env: dict[str, str], token: str):
    """JupyterLab serving a copy of `notebooks` (in `root/notebooks`) with `env`; yields (base
    url, token, folders) and stops it afterwards."""
    shutil.copytree(notebooks, root / "notebooks")
    port = free_port()
    log = (root / "lab.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            "--allow-root",
            f"--ServerApp.root_dir={root / 'notebooks'}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/api/status?token={token}")
        yield {
            "base": f"http://127.0.0.1:{port}",
            "token": token,
            "responses": Path(env["WORKSHOP_RESPONSES_DIR"]),
            "root": root,
        }
    finally:
        stop(process)
        log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the notebooks; yields (base url, token, folders)."""
    root = tmp_path_factory.mktemp("lab")
    home = root / "home"
    home.mkdir()
    env = server_environment(home, root / "responses")
    with running_lab(root, notebooks_dir(), env, "e2e-token-0123456789") as served:
        yield served


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from Debian, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: run .ci/ensure-system-deps"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records dialogs and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(90_000)  # a cold machine builds caches on the first run
    new_page = context.new_page()
    new_page.dialogs = []
    new_page.console_errors = []

    def on_dialog(dialog):
        if dialog.type == "beforeunload":  # JupyterLab asks before leaving a running notebook
            dialog.accept()
            return
        new_page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    new_page.on("dialog", on_dialog)
    new_page.on("console", lambda m: m.type == "error" and new_page.console_errors.append(m.text))
    yield new_page
    context.close()
