"""`workshop lab` starts JupyterLab on the notebooks folder and prints the address to open."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.e2e.conftest import free_port

pytestmark = pytest.mark.notebooks


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
