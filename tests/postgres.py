"""A throw-away PostgreSQL server on loopback for the tests (Debian's postgresql package):
initdb into a temporary folder, pg_ctl start on a free port, pg_ctl stop at the end. As root,
the server runs as the `postgres` system user, since PostgreSQL refuses to run as root."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER_PASSWORD = "workshop-admin-password"


def _bin(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None
    )
    if not found:
        raise FileNotFoundError("PostgreSQL is missing: run .ci/ensure-system-deps")
    return found


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Postgres:
    """A running server: its folder, port and an admin URL."""

    folder: Path
    port: int

    def url(self, user: str = "postgres", password: str = SUPERUSER_PASSWORD) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        subprocess.run(
            _as_server_user(
                [
                    _bin("pg_ctl"),
                    "-D",
                    str(self.folder / "data"),
                    "-o",
                    options,
                    "-l",
                    str(self.folder / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    action,
                ]
            ),
            check=True,
            capture_output=True,
        )


def start_postgres(port: int) -> Postgres:
    """initdb and start a server; the superuser `postgres` logs in with SUPERUSER_PASSWORD."""
    folder = Path(tempfile.mkdtemp(prefix="workshop-pg-"))
    password_file = folder / "pw"
    password_file.write_text(SUPERUSER_PASSWORD)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(password_file, "postgres", "postgres")
    subprocess.run(
        _as_server_user(
            [
                _bin("initdb"),
                "-D",
                str(folder / "data"),
                "-U",
                "postgres",
                f"--pwfile={password_file}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    server = Postgres(folder, port)
    server.pg_ctl("start")
    return server


def stop_postgres(server: Postgres) -> None:
    """Stop the server and remove its folder."""
    try:
        server.pg_ctl("stop")
    finally:
        shutil.rmtree(server.folder, ignore_errors=True)
