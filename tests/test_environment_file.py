"""environment.yml (conda-forge) and pyproject.toml list the same dependencies."""

from __future__ import annotations

import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from workshop_lib.paths import PROJECT_ROOT

CONDA_ONLY = {"python", "pip"}


def _pyproject() -> dict[str, Requirement]:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["test"]
    return {canonicalize_name(Requirement(x).name): Requirement(x) for x in lines}


def _environment() -> dict[str, Requirement]:
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    found = {}
    for item in env["dependencies"]:
        if isinstance(item, dict):
            assert item["pip"] == ["-e ."], "only the project itself comes from pip"
            continue
        requirement = Requirement(item)
        if requirement.name not in CONDA_ONLY:
            found[canonicalize_name(requirement.name)] = requirement
    return found


def test_same_packages_and_bounds():
    pyproject, environment = _pyproject(), _environment()
    assert sorted(pyproject) == sorted(environment)
    for name, requirement in pyproject.items():
        assert requirement.specifier == environment[name].specifier, name


def test_python_floor_matches():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]
