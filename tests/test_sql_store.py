"""The database store on its own (SQLite, no server needed): the file deleted under a running
store, WAL and a busy timeout, retries of transient errors, and the PostgreSQL role names that
row-level security keys rows to. test_backends.py runs the tests both stores share."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from sqlalchemy import event, text

from workshop_lib.responses import open_store, sql
from workshop_lib.responses.records import StoreUnavailableError
from workshop_lib.responses.sql import MAX_ROLE_BYTES, ROLE_PREFIX, database_role


@pytest.fixture
def db_file(tmp_path):
    return tmp_path / "answers.db"


def test_a_deleted_file_is_made_again_by_the_same_store(db_file):
    store = open_store(f"sqlite:///{db_file}")
    store.save("alice", "c1", "nb", "note", "before", kind="note")
    db_file.unlink()
    saved = store.save("alice", "c1", "nb", "note", "after", kind="note")
    assert saved["answer"] == "after" and saved["attempts"] == 1
    assert store.load("alice", "c1", "nb", "note") == saved
    assert open_store(f"sqlite:///{db_file}").records()[0] == [saved]


def test_a_file_made_again_empty_by_someone_else_is_used(db_file):
    store = open_store(f"sqlite:///{db_file}")
    store.save("alice", "c1", "nb", "note", "before", kind="note")
    db_file.unlink()
    sqlite3.connect(db_file).close()  # an empty database, no table
    assert store.records() == ([], [])
    assert store.save("alice", "c1", "nb", "note", "after", kind="note")["attempts"] == 1


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db_file):
    store = open_store(f"sqlite:///{db_file}")
    store.save("alice", "c1", "nb", "note", "x", kind="note")
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == sql.BUSY_TIMEOUT_MS


def _fail_statements(store, message: str, times: int) -> list[str]:
    """Make the next `times` statements of `store` fail as SQLite fails them; returns the log."""
    failed: list[str] = []

    def fail(connection, cursor, statement, *args):
        if len(failed) < times:
            failed.append(statement)
            raise sqlite3.OperationalError(message)

    event.listen(store.engine, "before_cursor_execute", fail)
    return failed


def test_a_transient_error_is_tried_again(db_file, monkeypatch):
    monkeypatch.setattr(sql, "BACKOFF_SECONDS", 0.001)
    store = open_store(f"sqlite:///{db_file}")
    store.save("alice", "c1", "nb", "note", "x", kind="note")
    failed = _fail_statements(store, "database is locked", times=2)
    assert store.save("alice", "c1", "nb", "note", "y", kind="note")["attempts"] == 2
    assert len(failed) == 2


def test_a_lock_that_stays_is_one_sentence_after_the_retries(db_file, monkeypatch):
    monkeypatch.setattr(sql, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(sql, "BACKOFF_SECONDS", 0.001)
    store = open_store(f"sqlite:///{db_file}")
    store.save("alice", "c1", "nb", "note", "x", kind="note")
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailableError) as caught:
            store.save("alice", "c1", "nb", "note", "y", kind="note")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(caught.value)
    assert "database is locked" in message and "\n" not in message
    assert store.load("alice", "c1", "nb", "note")["attempts"] == 1


def test_a_permanent_error_is_not_tried_again(db_file):
    store = open_store(f"sqlite:///{db_file}")
    store.save("alice", "c1", "nb", "note", "x", kind="note")
    failed = _fail_statements(store, "disk I/O error", times=5)
    with pytest.raises(StoreUnavailableError, match="disk I/O error"):
        store.save("alice", "c1", "nb", "note", "y", kind="note")
    assert len(failed) == 1


LONG = "maria.fernanda.rodriguez-gonzalez.de.la.torre@ministerio-justicia.example.org.ar"


@pytest.mark.parametrize(
    "name",
    ["alice", "Alice", "O'Brien", 'say "hi"', "日本語", "a" * 63, "é" * 31 + "a"],
)
def test_a_name_that_fits_is_its_own_role(name):
    assert len(name.encode()) <= MAX_ROLE_BYTES
    assert database_role(name) == name


@pytest.mark.parametrize(
    "name",
    [
        LONG,
        "a" * 64,
        "é" * 32,  # 64 bytes in 32 characters: PostgreSQL counts bytes
        "pg_monitor",  # reserved by PostgreSQL
        "public",
        "none",
        "workshop_trainers",  # the prefix of mapped names, and the group roles
        ROLE_PREFIX + "0" * 40,
    ],
)
def test_a_name_that_does_not_fit_gets_the_prefix_and_a_hash(name):
    role = database_role(name)
    digest = hashlib.sha256(name.encode()).hexdigest()
    assert role == ROLE_PREFIX + digest[: len(role) - len(ROLE_PREFIX)]
    assert len(role.encode()) <= MAX_ROLE_BYTES and role.isascii()


def test_names_that_postgresql_would_cut_to_the_same_role_stay_apart():
    other = LONG[:63] + "x" * (len(LONG) - 63)
    assert len(LONG.encode()) == 80 and LONG[:63] == other[:63]
    assert database_role(LONG) != database_role(other)
    assert database_role(database_role(LONG)) != database_role(LONG)  # cannot be claimed


class _PsycopgError(Exception):
    """Stands for psycopg's OperationalError when a connection fails: no SQLSTATE."""

    sqlstate = None


@pytest.mark.parametrize(
    ("message", "again"),
    [
        ('connection to server at "127.0.0.1" failed: Connection refused', True),
        ("consuming input failed: server closed the connection unexpectedly", True),
        ("FATAL:  the database system is starting up", True),
        ("FATAL:  sorry, too many clients already", True),
        ('FATAL:  password authentication failed for user "alice"', False),
        ('FATAL:  database "workshop" does not exist', False),
    ],
)
def test_only_a_connection_that_may_come_back_is_tried_again(message, again):
    from sqlalchemy.exc import OperationalError

    failure = OperationalError("connect", {}, _PsycopgError(message))
    assert sql._disconnected(failure) is again
    sqlite_failure = OperationalError("x", {}, sqlite3.OperationalError(message))
    assert sql._disconnected(sqlite_failure) is False


def test_db_sql_prints_the_role_function_and_policies_that_use_it(capsys):
    from workshop_lib.cli import main

    assert main(["db-sql"]) == 0
    setup = capsys.readouterr().out
    assert "CREATE OR REPLACE FUNCTION workshop_role(participant text)" in setup
    assert "SET search_path = pg_catalog, pg_temp" in setup
    own = "workshop_role(participant) = current_user"
    assert f"USING ({own}) WITH CHECK ({own})" in setup
    assert "participant = current_user" not in setup.replace(own, "")
