"""`workshop lab` starts JupyterLab on the notebooks folder and prints the address to open."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import free_port
from workshop_lib import cli
from workshop_lib.cli import lab_environment, main
from workshop_lib.config import ENV_RESPONSES_DIR, ENV_RESPONSES_URL


@pytest.mark.notebooks
def test_lab_prints_a_working_address(tmp_path):
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path), HOME=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "workshop_lib.cli", "lab", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        line = process.stdout.readline()
        match = re.match(
            rf"Open (http://127\.0\.0\.1:{port}/lab\?token=(\w+)) in your browser\.", line
        )
        assert match, line
        token = match.group(2)
        deadline = time.time() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/contents/00_welcome.ipynb?token={token}"
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    assert b'"name": "00_welcome.ipynb"' in response.read()
                break
            except OSError:
                assert time.time() < deadline, "JupyterLab did not answer within 60 s"
                time.sleep(0.5)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def started(monkeypatch):
    """The command and environment `workshop lab` would start JupyterLab with (not started)."""
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(
        cli.subprocess, "call", lambda command, env: calls.append((command, env)) or 0
    )
    return calls


def test_lab_responses_url_is_set_as_the_url(tmp_path, monkeypatch, started):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_RESPONSES_URL, raising=False)
    url = "postgresql://alice:s3cret@db.example.org/workshop"
    assert main(["lab", "--responses-dir", url]) == 0
    ((_, env),) = started
    assert env[ENV_RESPONSES_URL] == url
    assert env[ENV_RESPONSES_DIR] == os.environ[ENV_RESPONSES_DIR]  # left as it was
    assert list(tmp_path.iterdir()) == []  # no folder named like the URL


def test_lab_responses_folder_is_set_as_the_folder_and_wins_over_a_url(
    tmp_path, monkeypatch, started
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(ENV_RESPONSES_URL, "sqlite:////elsewhere/answers.db")
    assert main(["lab", "--responses-dir", "answers", "--port", "9999"]) == 0
    ((command, env),) = started
    assert env[ENV_RESPONSES_DIR] == str(tmp_path / "answers")
    assert ENV_RESPONSES_URL not in env
    assert "--ServerApp.port=9999" in command


def test_lab_without_responses_dir_keeps_the_environment(monkeypatch):
    monkeypatch.setenv(ENV_RESPONSES_URL, "sqlite:////srv/answers.db")
    base = dict(os.environ)
    assert lab_environment("", base) == base


def test_lab_with_an_unsupported_url_is_one_sentence(capsys, started):
    assert main(["lab", "--responses-dir", "ftp://host/answers"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("The responses location 'ftp://...' is not supported")
    assert len(err.strip().splitlines()) == 1
    assert started == []


def test_lab_refuses_the_notebooks_inside_the_package(capsys, started):
    assert main(["lab", "--notebooks", str(Path(cli.__file__).parent)]) == 2
    assert "workshop init DIR" in capsys.readouterr().err
    assert started == []
