"""The participant view for the browser tests: the server `workshop lab --participant` starts
(JupyterLab's server with Voilà and the `workshop` template) on a copy of the notebooks, a page
that refuses and records every request leaving the machine, and keyboard helpers."""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

from tests.e2e.conftest import ARTIFACTS, free_port, server_environment, stop, wait_for
from workshop_lib.participant.launch import page_url, participant_server
from workshop_lib.paths import notebooks_dir

PAGE_TIMEOUT = 120_000
# What a participant can work with: the controls of the exercises.
CONTROLS = (
    ".workshop-widget input:not([type=hidden]), .workshop-widget select, "
    ".workshop-widget textarea, .workshop-widget button"
)
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def start_participant_server(root: Path, notebooks: Path | None = None):
    """Start the participant view on a copy of `notebooks` (default: the agenda) in `root`;
    returns (process, info) where info has the base URL, token and folders."""
    folder = root / "notebooks"
    shutil.copytree(notebooks or notebooks_dir(), folder)
    responses, home = root / "responses", root / "home"
    home.mkdir()
    port, token = free_port(), secrets.token_hex(12)
    base_env = server_environment(home, responses)
    command, env, address = participant_server(folder, "127.0.0.1", port, token, base_env)
    log = (root / "server.log").open("w")
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/status?token={token}")
    except Exception:
        stop(process)
        raise
    return (
        process,
        log,
        {
            "base": base,
            "token": token,
            "responses": responses,
            "root": root,
            "notebooks": folder,
            "address": address,
        },
    )


def stop_participant_server(process, log) -> None:
    """Stop the server started above and close its log."""
    stop(process)
    log.close()


def offline(page) -> list[str]:
    """Refuse every request that would leave the machine; return the list they are recorded
    in (a test asserts it stays empty)."""
    outside: list[str] = []

    def route(route):
        url = route.request.url
        host = urllib.parse.urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK or not host:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    def websocket(socket):
        if (urllib.parse.urlsplit(socket.url).hostname or "") not in LOOPBACK:
            outside.append(socket.url)

    page.route("**/*", route)
    page.on("websocket", websocket)  # a kernel's channel to the participant's own server
    return outside


def page_address(server: dict, name: str) -> str:
    """The participant page of notebook `name`."""
    return f"{server['base']}{page_url(name)}?token={server['token']}"


def open_page(page, server: dict, name: str) -> float:
    """Open a notebook's participant page; wait until its first exercise can be used; return
    the seconds from the request to that moment."""
    start = time.perf_counter()
    page.goto(page_address(server, name))
    wait_until_ready(page)
    return time.perf_counter() - start


def wait_until_ready(page) -> None:
    """Wait until the page is shown and its first exercise control is visible and enabled."""
    page.locator("#rendered_cells").wait_for(state="visible", timeout=PAGE_TIMEOUT)
    first = page.locator(CONTROLS).first
    first.wait_for(state="visible", timeout=PAGE_TIMEOUT)
    page.wait_for_function(
        "selector => { const el = document.querySelector(selector); return el && !el.disabled; }",
        arg=CONTROLS,
        timeout=PAGE_TIMEOUT,
    )


def screenshot(page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def active_matches(page, locator) -> bool:
    """True when the element that has the keyboard focus is `locator`'s element."""
    return bool(locator.evaluate("el => el === document.activeElement"))


def tab_to(page, locator, limit: int = 400, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab when `backwards`) until `locator` has the focus, as a keyboard
    user would; fail after `limit` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if active_matches(page, locator):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{limit} presses of {key} never reached {locator}")


def record_timing(name: str, seconds: float) -> None:
    """Keep the time to the first exercise of each page in test-artifacts/ (benchmarks/README)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "participant-view-timing.json"
    try:
        timings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        timings = {}
    timings.setdefault(name, []).append(round(seconds, 2))
    path.write_text(json.dumps(timings, indent=1, sort_keys=True), encoding="utf-8")
