"""Benchmark: the database store on a throw-away PostgreSQL server (Debian's postgresql, as the
tests start it) and on SQLite.

1. The cohort report for 1,000 participants on PostgreSQL, next to the directory store: the
   generated demo cohort (every activity answered) is loaded into both, then what `workshop
   report` does is timed (read every answer, render the HTML report). Median of 5 runs.
2. 50 processes making their first saves at once into a fresh database (no table yet), on
   SQLite and on PostgreSQL: wall time, and how many of the 50 saved.
3. What one save and one participant's read cost: 300 saves by one participant (10 activities)
   and reading their answers back, on SQLite, on PostgreSQL as the owner, and on PostgreSQL as a
   participant role under row-level security, with the policy `workshop_role(participant) =
   current_user` against the plain `participant = current_user` it replaced (which only works
   for names up to 63 bytes). The four take turns over 5 rounds; medians of the rounds.

Run: `make bench` or `.venv/bin/python -m benchmarks.report_postgres [PARTICIPANTS]`.
"""

from __future__ import annotations

import json
import multiprocessing
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import insert

from tests.e2e.conftest import free_port
from tests.postgres import Postgres, start_postgres, stop_postgres
from workshop_lib.responses import open_store
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.responses.sql import postgres_setup_sql, responses
from workshop_lib.trainer.demo import DEMO_COHORT, demo_records, write_demo_cohort
from workshop_lib.trainer.report import render_html

ROUNDS = 5
CROWD = 50
SAVES, ACTIVITIES = 300, 10


def timed(location: str) -> tuple[float, int]:
    """Median seconds to read and render the report, and the number of answers read."""
    times, count = [], 0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        answers = load_cohort(location, DEMO_COHORT)
        render_html(answers, "bench")
        times.append(time.perf_counter() - start)
        count = len(answers.records)
    return statistics.median(times), count


def new_database(server: Postgres) -> str:
    """A fresh, empty database on `server`; its owner's URL."""
    name = f"b_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.url().rsplit("/", 1)[0] + f"/{name}"


def report_times(server: Postgres, participants: int) -> tuple[int, float, float]:
    """Answers, and the report's seconds on the directory store and on PostgreSQL."""
    url = new_database(server)
    store = open_store(url)
    store.records()  # creates the table
    keys = ("participant", "cohort", "notebook", "activity", "kind", "display_name")
    times = ("attempts", "first_saved", "last_saved")
    rows = [
        {k: r[k] for k in keys + times}
        | {"answer": json.dumps(r["answer"], ensure_ascii=False, sort_keys=True)}
        for r in demo_records(participants)
    ]
    with store.engine.begin() as connection:
        connection.execute(insert(responses), rows)
    with tempfile.TemporaryDirectory() as folder:
        files = write_demo_cohort(Path(folder), participants)
        directory_seconds, directory_count = timed(folder)
    postgres_seconds, postgres_count = timed(url)
    assert directory_count == postgres_count == files
    return files, directory_seconds, postgres_seconds


def _first_save(url: str, number: int, barrier, results) -> None:
    barrier.wait(timeout=60)
    try:
        open_store(url).save(f"p{number:02d}", "c1", "nb", "a", {"n": number})
        results.put("saved")
    except Exception as exc:  # noqa: BLE001 - counted and named, as a reviewer would
        results.put(f"{type(exc).__name__}: {str(exc)[:100]}")


def first_saves_at_once(url: str) -> tuple[float, int, set[str]]:
    """Seconds for CROWD processes to make their first saves together into a fresh database,
    how many saved, and the distinct errors of the others."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(CROWD + 1), context.Queue()
    workers = [
        context.Process(target=_first_save, args=(url, n, barrier, results)) for n in range(CROWD)
    ]
    for worker in workers:
        worker.start()
    barrier.wait(timeout=60)
    start = time.perf_counter()
    outcomes = [results.get(timeout=120) for _ in workers]
    seconds = time.perf_counter() - start
    for worker in workers:
        worker.join()
    return seconds, outcomes.count("saved"), {o for o in outcomes if o != "saved"}


def save_and_read(targets: dict[str, tuple[str, str]]) -> dict[str, tuple[float, float]]:
    """Per target (a URL and the participant saving), median ms per save (SAVES upserts by one
    participant) and per read of their answers; the targets take turns, round by round, so a
    busy machine slows them alike."""
    stores = {label: (open_store(url), who) for label, (url, who) in targets.items()}
    for store, _who in stores.values():
        store.records(cohort="-")  # connects and finds (or makes) the table: not timed
    per_save: dict[str, list[float]] = {label: [] for label in stores}
    per_read: dict[str, list[float]] = {label: [] for label in stores}
    for _ in range(ROUNDS):
        for label, (store, who) in stores.items():
            start = time.perf_counter()
            for number in range(SAVES // ROUNDS):
                answer = {"choice": "x"}
                store.save(who, "c1", "nb", f"a{number % ACTIVITIES}", answer, kind="poll")
            per_save[label].append((time.perf_counter() - start) / (SAVES // ROUNDS) * 1000)
            start = time.perf_counter()
            for _ in range(10):
                assert len(store.participant_records(who, "c1")[0]) == ACTIVITIES
            per_read[label].append((time.perf_counter() - start) / 10 * 1000)
    return {
        label: (statistics.median(per_save[label]), statistics.median(per_read[label]))
        for label in stores
    }


def participant_url(server: Postgres, policy: str) -> tuple[str, str]:
    """A database set up by `workshop db-sql` (its own-rows policy replaced by `policy`, if
    given) and the URL of a participant role in it, for participant 'alice'."""
    admin_url = new_database(server)
    setup = postgres_setup_sql()
    if policy:
        setup = setup.replace("workshop_role(participant) = current_user", policy)
    role = f"alice_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(setup)
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw' IN ROLE workshop_participants")
    return server.url(role, "pw").rsplit("/", 1)[0] + "/" + admin_url.rsplit("/", 1)[1], role


def main(participants: int) -> None:
    """Print the report times, the first-saves race and the cost of a save."""
    server = start_postgres(free_port())
    try:
        files, directory_seconds, postgres_seconds = report_times(server, participants)
        with tempfile.TemporaryDirectory() as folder:
            race_sqlite = first_saves_at_once(f"sqlite:///{folder}/fresh.db")
        race_postgres = first_saves_at_once(new_database(server))
        with tempfile.TemporaryDirectory() as folder:
            targets = {
                "SQLite": (f"sqlite:///{folder}/answers.db", "alice"),
                "PostgreSQL, owner": (new_database(server), "alice"),
                "PostgreSQL, participant, workshop_role()": participant_url(server, ""),
                "PostgreSQL, participant, plain name": participant_url(
                    server, "participant = current_user"
                ),
            }
            costs = save_and_read(targets)
    finally:
        stop_postgres(server)
    print(f"Report: {participants} participants, {files} answers, median of {ROUNDS}:")
    print(f"  directory store: {directory_seconds:.2f} s")
    print(f"  PostgreSQL:      {postgres_seconds:.2f} s")
    print(f"{CROWD} processes saving first into a fresh database at once:")
    for label, (seconds, saved, errors) in (("SQLite", race_sqlite), ("PostgreSQL", race_postgres)):
        print(f"  {label:<11} {saved}/{CROWD} saved in {seconds:.2f} s {sorted(errors) or ''}")
    print(f"One participant, {SAVES} saves over {ACTIVITIES} activities, median of {ROUNDS}:")
    for label, (save_ms, read_ms) in costs.items():
        print(f"  {label:<42} {save_ms:6.2f} ms per save, {read_ms:6.2f} ms per read")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000)
