"""Real Unix users for tests where permissions matter: a trainers' group, participants, and a
way to run Python as each of them (`runuser`), with a copy of the library they can read.

Every user and group made here has a random suffix and is deleted afterwards."""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workshop_lib.paths import PROJECT_ROOT

# What the response store needs, copied where other users can read it.
STORE_PACKAGES = ("pydantic", "pydantic_core", "typing_extensions", "annotated_types",
                  "typing_inspection")  # fmt: skip
SYSTEM_PYTHON = "/usr/bin/python3.11"


def cannot_make_users() -> str:
    """Why real users cannot be made here, or '' when they can."""
    if os.geteuid() != 0:
        return "creating Unix users needs root"
    missing = [c for c in ("useradd", "groupadd", "runuser") if shutil.which(c) is None]
    if missing:
        return f"{', '.join(missing)} not found"
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} (a Python other users may run) not found"
    return ""


def _copy_package(name: str, target: Path) -> None:
    spec = importlib.util.find_spec(name)
    origin = Path(spec.origin)
    if origin.name == "__init__.py":
        shutil.copytree(origin.parent, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copy2(origin, target / origin.name)


@dataclass
class UnixWorld:
    """A scratch folder other users can enter, users made in it, and a Python to run as them."""

    root: Path
    suffix: str = field(default_factory=lambda: secrets.token_hex(3))
    users: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    def group(self, base: str) -> str:
        name = f"{base}{self.suffix}"
        subprocess.run(["groupadd", name], check=True)
        self.groups.append(name)
        return name

    def user(self, base: str, groups: tuple[str, ...] = (), home: bool = False) -> str:
        name = f"{base}{self.suffix}"
        command = ["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name]
        if home:
            (self.root / "home").mkdir(mode=0o755, exist_ok=True)
            command[1:2] = ["--create-home", "--home-dir", str(self.root / "home" / name)]
        if groups:
            command[1:1] = ["--groups", ",".join(groups)]
        subprocess.run(command, check=True)
        self.users.append(name)
        return name

    def python(
        self, user: str, code: str, *args: str, pythonpath: str = ""
    ) -> subprocess.CompletedProcess:
        """Run `code` with the system Python as `user`; the library copy is importable (or
        what `pythonpath` names)."""
        env = {"PYTHONPATH": pythonpath or str(self.lib), "HOME": str(self.root),
               "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
               "PYTHONDONTWRITEBYTECODE": "1"}  # fmt: skip
        return subprocess.run(
            [shutil.which("runuser"), "-u", user, "--", SYSTEM_PYTHON, "-c", code, *args],
            env=env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def remove(self) -> None:
        for name in self.users:
            subprocess.run(["userdel", name], check=False, capture_output=True)
        for name in self.groups:
            subprocess.run(["groupdel", name], check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


def make_world() -> UnixWorld:
    """A world whose library copy holds workshop_lib and the packages the store needs."""
    root = Path(tempfile.mkdtemp(prefix="workshop-users-", dir="/tmp"))
    os.chmod(root, 0o755)
    world = UnixWorld(root)
    world.lib.mkdir()
    shutil.copytree(
        PROJECT_ROOT / "workshop_lib",
        world.lib / "workshop_lib",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in STORE_PACKAGES:
        _copy_package(name, world.lib)
    subprocess.run(["chmod", "-R", "a+rX", str(world.lib)], check=True)
    assert sys.version_info[:2] == (3, 11), "the library copy is for Python 3.11"
    return world


def full_pythonpath(world: UnixWorld) -> str:
    """A PYTHONPATH under which other users' system Python finds the whole project and its
    installed packages: the checkout and the virtual environment's site-packages, or links to
    them inside the world when other users cannot reach them where they are."""
    site_packages = Path(importlib.util.find_spec("ipykernel").origin).parent.parent
    path = f"{PROJECT_ROOT}:{site_packages}"
    probe = "import ipykernel, jupyterhub, workshop_lib.notebook"
    nobody = "nobody"
    if world.python(nobody, probe, pythonpath=path).returncode == 0:
        return path
    copy = world.root / "env"
    copy.mkdir(mode=0o755)
    for source, name in ((PROJECT_ROOT, "project"), (site_packages, "site-packages")):
        result = subprocess.run(["cp", "-al", str(source), str(copy / name)], capture_output=True)
        if result.returncode != 0:  # another file system: copy instead of linking
            subprocess.run(["cp", "-a", str(source), str(copy / name)], check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(copy)], check=True)
    path = f"{copy / 'project'}:{copy / 'site-packages'}"
    result = world.python(nobody, probe, pythonpath=path)
    assert result.returncode == 0, result.stderr
    return path
