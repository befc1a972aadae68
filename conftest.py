"""Pytest set-up for the whole run (tests and nbval notebooks): answers go to a fresh, empty
folder, so a developer's own answers in notebooks/responses never change what the tests see."""

import os
import tempfile


def pytest_configure(config):
    os.environ["WORKSHOP_RESPONSES_DIR"] = tempfile.mkdtemp(prefix="workshop-test-responses-")
    os.environ.pop("WORKSHOP_RESPONSES_URL", None)
    os.environ.pop("JUPYTERHUB_USER", None)
