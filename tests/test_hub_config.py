"""deploy/jupyterhub_config.py read as JupyterHub reads it: each user gets their own database
role in the responses URL, and kernels are culled."""

from __future__ import annotations

import types

from traitlets.config import Config

from workshop_lib.paths import PROJECT_ROOT
from workshop_lib.responses.sql import database_role


def load_config(monkeypatch, tmp_path, **settings) -> Config:
    monkeypatch.setenv("WORKSHOP_HUB_DIR", str(tmp_path / "hub"))
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    config = Config()
    source = (PROJECT_ROOT / "deploy" / "jupyterhub_config.py").read_text(encoding="utf-8")
    exec(compile(source, "jupyterhub_config.py", "exec"), {"get_config": lambda: config})  # noqa: S102
    return config


def spawner_of(name: str):
    return types.SimpleNamespace(user=types.SimpleNamespace(name=name))


def test_each_user_logs_in_to_the_database_as_their_own_role(monkeypatch, tmp_path):
    config = load_config(
        monkeypatch,
        tmp_path,
        WORKSHOP_RESPONSES_URL="postgresql://{role}@db.example.org/workshop",
        WORKSHOP_HUB_SPAWNER="simple",
    )
    url_for = config.Spawner.environment["WORKSHOP_RESPONSES_URL"]
    long_name = "maria.fernanda.rodriguez@ministerio-justicia.example.org.and-more"
    assert url_for(spawner_of("alice")) == "postgresql://alice@db.example.org/workshop"
    assert url_for(spawner_of(long_name)) == (
        f"postgresql://{database_role(long_name)}@db.example.org/workshop"
    )
    assert "WORKSHOP_RESPONSES_DIR" not in config.Spawner.environment


def test_idle_kernels_are_culled(monkeypatch, tmp_path):
    config = load_config(monkeypatch, tmp_path, WORKSHOP_HUB_SPAWNER="simple")
    assert "--MappingKernelManager.cull_idle_timeout=2700" in config.Spawner.args
    assert any(s["name"] == "idle-culler" for s in config.JupyterHub.services)
