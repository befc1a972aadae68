"""One test suite for both response stores: a folder, and a database (SQLite, and a real
PostgreSQL server started for the tests). Same records, same report, same guarantees; plus
row-level security, concurrency and an unreachable database on PostgreSQL."""

from __future__ import annotations

import multiprocessing
import traceback
import uuid

import psycopg
import psycopg.sql
import pytest
from sqlalchemy import insert

from tests.e2e.conftest import free_port
from tests.postgres import start_postgres, stop_postgres
from workshop_lib.responses import AnswerStore, open_store, session
from workshop_lib.responses.cohort import load_cohort
from workshop_lib.responses.records import (
    MAX_TEXT_LENGTH,
    AnswerTooLongError,
    InvalidIdError,
    StoreUnavailableError,
)
from workshop_lib.responses.sql import database_role, postgres_setup_sql
from workshop_lib.trainer.report import render_html

HOSTILE = [
    "Robert'); DROP TABLE workshop_responses_v1;--",
    "<script>x</script>",
    "a\x00b",
    "日本語",
    "O'Brien",
    "%s %(x)s",
    "\\",
    "😀",
]


@pytest.fixture(scope="module")
def postgres():
    server = start_postgres(free_port())
    yield server
    stop_postgres(server)


def new_database(server) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.url().rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(
    params=["directory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def location(request, tmp_path):
    if request.param == "directory":
        return str(tmp_path / "responses")
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'responses.db'}"
    return new_database(request.getfixturevalue("postgres"))


def test_every_backend_is_an_answer_store(location):
    assert isinstance(open_store(location), AnswerStore)


def test_records_attempts_and_resume(location):
    store = open_store(location)
    first = store.save(
        "alice", "c1", "01_nb", "quiz", {"q1": "b"}, kind="choices", display_name="Al"
    )
    store.save("alice", "c1", "01_nb", "quiz", {"q1": "c"}, kind="choices")
    third = store.save(
        "alice", "c1", "01_nb", "quiz", {"q1": "d"}, kind="choices", new_attempt=False
    )
    assert third["attempts"] == 2 and third["first_saved"] == first["first_saved"]
    assert third["display_name"] == "Al"
    loaded = open_store(location).load("alice", "c1", "01_nb", "quiz")
    assert loaded == third
    assert loaded["schema"] == "tipsom-workshop/response" and loaded["schema_version"] == 1
    assert open_store(location).load("alice", "c1", "01_nb", "other") is None


def test_unicode_and_hostile_text_are_data(location):
    store = open_store(location)
    if "://" in location:  # a database cannot hold NUL in text: refused in one sentence
        with pytest.raises(InvalidIdError, match="cannot contain NUL"):
            store.save("a\x00b", "c1", "nb", "note", "x", kind="note")
        hostile = [h for h in HOSTILE if "\x00" not in h]
    else:
        hostile = HOSTILE
    for number, who in enumerate(hostile):
        store.save(who, "c1", "nb", "note", f"{who} الاتجار 贩运 Торговля {number}", kind="note")
    records, skipped = open_store(location).records("c1")
    assert skipped == [] and len(records) == len(hostile)
    by_who = {r["participant"]: r["answer"] for r in records}
    for number, who in enumerate(hostile):
        assert by_who[who] == f"{who} الاتجار 贩运 Торговля {number}"


def test_overlong_text_is_refused(location):
    with pytest.raises(AnswerTooLongError):
        open_store(location).save("a", "c", "n", "x", "y" * (MAX_TEXT_LENGTH + 1))


def test_the_report_and_frame_are_the_same_whichever_backend(location, tmp_path):
    reference = str(tmp_path / "reference")
    for target in (location, reference):
        store = open_store(target)
        store.save(
            "alice",
            "c1",
            "05",
            "checklist",
            {"q": {"answer": "Yes", "note": "<b>"}},
            kind="checklist",
        )
        store.save(
            "bob", "c1", "05", "checklist", {"q": {"answer": "No", "note": ""}}, kind="checklist"
        )
        store.save(
            "bob", "c2", "05", "checklist", {"q": {"answer": "No", "note": ""}}, kind="checklist"
        )
    mine, theirs = load_cohort(location, "c1"), load_cohort(reference, "c1")
    volatile = ["first_saved", "last_saved"]
    assert mine.frame().drop(columns=volatile).equals(theirs.frame().drop(columns=volatile))
    strip = lambda page: page.split("Generated")[0] + page.split("UTC.</p>", 1)[1]  # noqa: E731
    assert strip(render_html(mine, "t")) == strip(render_html(theirs, "t"))


def _saver(args):
    url, who, activity, rounds = args
    store = open_store(url)
    for number in range(rounds):
        store.save(who, "c1", "nb", activity, {"n": number})


@pytest.mark.postgres
def test_fifty_processes_on_postgres(postgres):
    url = new_database(postgres)
    open_store(url).records()  # creates the table once, before the crowd arrives
    jobs = [(url, f"p{n:02d}", "a", 3) for n in range(40)] + [(url, "same", "a", 5)] * 10
    with multiprocessing.get_context("fork").Pool(50) as pool:
        pool.map(_saver, jobs, chunksize=1)
    records, skipped = open_store(url).records()
    assert skipped == [] and len(records) == 41
    by_who = {r["participant"]: r for r in records}
    assert all(by_who[f"p{n:02d}"]["attempts"] == 3 for n in range(40))
    assert by_who["same"]["attempts"] == 50


@pytest.mark.postgres
def test_row_level_security_keeps_participants_apart(postgres):
    admin_url = new_database(postgres)
    database = admin_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(postgres_setup_sql())
        for role, group in (
            ("alice", "workshop_participants"),
            ("bob", "workshop_participants"),
            ("trainer", "workshop_trainers"),
        ):
            admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}' IN ROLE {group}")
    url = lambda role: postgres.url(role, f"pw-{role}").rsplit("/", 1)[0] + f"/{database}"  # noqa: E731
    alice, bob, trainer = (
        open_store(url("alice")),
        open_store(url("bob")),
        open_store(url("trainer")),
    )
    alice.save("alice", "c1", "05", "checklist", {"q": "Yes"})
    bob.save("bob", "c1", "05", "checklist", {"q": "No"})
    assert [r["participant"] for r in alice.records()[0]] == ["alice"]
    assert alice.load("bob", "c1", "05", "checklist") is None
    with pytest.raises(StoreUnavailableError, match="row-level security"):
        alice.save("bob", "c1", "05", "checklist", {"q": "overwritten by alice"})
    assert [r["answer"] for r in trainer.records()[0]] == [{"q": "Yes"}, {"q": "No"}]
    with pytest.raises(StoreUnavailableError, match="permission denied"):
        trainer.save("trainer", "c1", "05", "checklist", {"q": "x"})


LONG_NAMES = (  # hub users named by e-mail address, 80 bytes, alike in their first 63 bytes
    "maria.fernanda.rodriguez-gonzalez.de.la.torre@ministerio-justicia.example.org.ar",
    "maria.fernanda.rodriguez-gonzalez.de.la.torre@ministerio-justicia.example.org.bo",
)


def _login_role(admin, hub_user: str, group: str) -> str:
    role = database_role(hub_user)
    admin.execute(
        psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
            psycopg.sql.Identifier(role),
            psycopg.sql.Literal(f"pw-{role}"),
            psycopg.sql.Identifier(group),
        )
    )
    return role


@pytest.mark.postgres
def test_long_hub_names_save_and_read_only_their_own_rows(postgres):
    first, second = LONG_NAMES
    assert len(first.encode()) == 80 and first[:63] == second[:63]
    reader = f"trainer_{uuid.uuid4().hex[:8]}"  # roles belong to the server, not the database
    admin_url = new_database(postgres)
    database = admin_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(postgres_setup_sql())
        roles = {
            who: _login_role(admin, who, group)
            for who, group in (
                (first, "workshop_participants"),
                (second, "workshop_participants"),
                (reader, "workshop_trainers"),
            )
        }
    url = lambda role: postgres.url(role, f"pw-{role}").rsplit("/", 1)[0] + f"/{database}"  # noqa: E731
    mine, theirs, trainer = (open_store(url(roles[who])) for who in (first, second, reader))
    assert mine.save(first, "c1", "05", "poll", {"choice": "a"}, kind="poll")["attempts"] == 1
    assert mine.save(first, "c1", "05", "poll", {"choice": "b"}, kind="poll")["attempts"] == 2
    theirs.save(second, "c1", "05", "poll", {"choice": "c"}, kind="poll")
    assert mine.load(first, "c1", "05", "poll")["answer"] == {"choice": "b"}
    assert [r["participant"] for r in mine.records()[0]] == [first]
    assert mine.load(second, "c1", "05", "poll") is None
    assert mine.participant_records(second) == ([], [])
    with pytest.raises(StoreUnavailableError, match="row-level security"):
        mine.save(second, "c1", "05", "poll", {"choice": "forged"}, kind="poll")
    with pytest.raises(StoreUnavailableError, match="row-level security"):
        mine.save(roles[second], "c1", "05", "poll", {"choice": "forged"}, kind="poll")
    answers = {r["participant"]: r["answer"] for r in trainer.records()[0]}
    assert answers == {first: {"choice": "b"}, second: {"choice": "c"}}


@pytest.mark.postgres
def test_the_sql_role_function_maps_names_as_python_does(postgres):
    url = new_database(postgres)
    names = [
        *LONG_NAMES,
        "alice",
        "Alice",
        "O'Brien",
        'say "hi"',
        "日本語",
        "a" * 63,
        "a" * 64,
        "é" * 31 + "a",
        "é" * 32,
        "pg_monitor",
        "public",
        "Public",
        "none",
        "workshop_trainers",
        database_role(LONG_NAMES[0]),
    ]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(postgres_setup_sql())
        in_sql = [admin.execute("SELECT workshop_role(%s)", [n]).fetchone()[0] for n in names]
        for role in set(in_sql):  # every mapped name is a role PostgreSQL keeps as it is
            exists = "SELECT 1 FROM pg_roles WHERE rolname = %s"
            if not admin.execute(exists, [role]).fetchone():  # roles are the server's, not
                create = psycopg.sql.SQL("CREATE ROLE {}")  # the database's: some exist
                admin.execute(create.format(psycopg.sql.Identifier(role)))
            assert admin.execute(exists, [role]).fetchone(), role
    assert in_sql == [database_role(n) for n in names]


@pytest.mark.postgres
def test_doctor_says_which_role_a_hub_user_must_log_in_as(postgres):
    from workshop_lib.trainer.doctor import check_database_role

    hub_user = "someone.with.a.very.long.name.indeed@regional-office.ministry.example.org"
    admin_url = new_database(postgres)
    database = admin_url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(postgres_setup_sql())
        right = _login_role(admin, hub_user, "workshop_participants")
        cut = _login_role(admin, f"cut_{uuid.uuid4().hex[:8]}", "workshop_participants")
        reader = _login_role(admin, f"reader_{uuid.uuid4().hex[:8]}", "workshop_trainers")
    url = lambda role: postgres.url(role, f"pw-{role}").rsplit("/", 1)[0] + f"/{database}"  # noqa: E731
    [fine] = check_database_role(url(right), hub_user)
    assert fine.ok and f"logs in as '{right}'" in fine.detail
    [refused] = check_database_role(url(cut), hub_user)
    assert not refused.ok and refused.required
    assert f"must log in as the role '{right}'" in refused.detail
    assert "row-level security will refuse every save" in refused.detail
    [trainer] = check_database_role(url(reader), "anna")
    assert trainer.ok and "not a workshop participant's role" in trainer.detail


@pytest.mark.postgres
def test_unreachable_database_keeps_answers_until_it_returns(postgres, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    url = new_database(postgres)
    s = session.start("05", cohort="c1", participant="amira", responses_dir_parameter=url)
    assert s.save("note.a", "first", kind="note").ok
    postgres.pg_ctl("stop")
    try:
        result = s.save("note.b", "written while the database was down", kind="note")
        assert not result.ok
        assert result.message.startswith("Your answer could not be saved in postgresql+psycopg://")
        assert "***" in result.message and "workshop-admin-password" not in result.message
        assert "written while" in s.export_markdown()
    finally:
        postgres.pg_ctl("start")
    assert s.save("note.c", "after the restart", kind="note").ok
    answers = {r["activity"]: r["answer"] for r in open_store(url).records("c1")[0]}
    assert answers == {
        "note.a": "first",
        "note.b": "written while the database was down",
        "note.c": "after the restart",
    }
    assert s.unsaved == {}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """A fresh, empty database: no table yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.db'}"
    return new_database(request.getfixturevalue("postgres"))


def _first_saves(url, number, barrier, failures):
    try:
        barrier.wait(timeout=60)
        store = open_store(url)  # a new store in every process: each finds no table
        store.save(f"p{number:02d}", "c1", "nb", "a", {"n": 1})
        store.save(f"p{number:02d}", "c1", "nb", "a", {"n": 2})
        store.save("same", "c1", "nb", "a", {"n": number})
    except BaseException:  # noqa: BLE001 - reported to the test, which names it
        failures.put(f"p{number:02d}: {traceback.format_exc(limit=3)}")


def test_fifty_first_saves_at_once_on_a_fresh_database(database):
    context = multiprocessing.get_context("fork")
    barrier, failures = context.Barrier(50), context.Queue()
    workers = [
        context.Process(target=_first_saves, args=(database, n, barrier, failures))
        for n in range(50)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    reported = []
    while not failures.empty():
        reported.append(failures.get())
    assert reported == [] and [w.exitcode for w in workers] == [0] * 50
    records, skipped = open_store(database).records()
    assert skipped == [] and len(records) == 51
    by_who = {r["participant"]: r["attempts"] for r in records}
    assert by_who == {f"p{n:02d}": 2 for n in range(50)} | {"same": 50}


DEEP = "[" * 100_000 + "]" * 100_000  # json.loads stops with RecursionError
ODD_ROWS = {
    "quiz-as-text": {"kind": "quiz", "answer": '"just text"'},
    "poll-without-choice": {"kind": "poll", "answer": '{"pick": "a"}'},
    "not-a-date": {"first_saved": "yesterday"},
    "local-time": {"last_saved": "2025-01-01T10:00:00"},
    "deep": {"answer": DEEP},
    "nested-past-the-limit": {"answer": "[" * 40 + "]" * 40},
    "not-json": {"answer": "{'q': 1}"},
    "no-attempts": {"attempts": 0},
}


def _odd_row(activity: str, **fields) -> dict:
    row = {
        "participant": "mallory",
        "cohort": "c1",
        "notebook": "nb",
        "activity": activity,
        "kind": "note",
        "display_name": "",
        "answer": '"fine"',
        "attempts": 1,
        "first_saved": "2025-01-01T10:00:00Z",
        "last_saved": "2025-01-01T10:00:00Z",
    }
    return row | fields


def test_odd_rows_written_straight_into_the_table_are_skipped_and_named(database):
    from workshop_lib.responses.cohort import load_cohort
    from workshop_lib.responses.sql import responses

    store = open_store(database)
    store.save("alice", "c1", "nb", "note", "a fine answer", kind="note")
    odd = dict(ODD_ROWS)
    if database.startswith("sqlite"):  # SQLite keeps any type in any column
        odd |= {"attempts-as-text": {"attempts": "three"}, "date-as-number": {"first_saved": 7}}
    with store.engine.begin() as connection:
        connection.execute(insert(responses), [_odd_row(a, **f) for a, f in odd.items()])

    records, skipped = open_store(database).records("c1")
    assert [r["participant"] for r in records] == ["alice"]
    assert sorted(s.where for s in skipped) == sorted(f"mallory/c1/nb/{a}" for a in odd)
    assert all(s.reason and "Traceback" not in s.reason for s in skipped)
    reasons = {s.where.rsplit("/", 1)[1]: s.reason for s in skipped}
    assert "nested too deeply" in reasons["deep"]
    assert "first_saved" in reasons["not-a-date"]
    assert open_store(database).participant_records("mallory")[0] == []
    for activity in odd:  # one participant's odd row: none, never a traceback
        assert open_store(database).load("mallory", "c1", "nb", activity) is None
    cohort = load_cohort(database, "c1")
    assert len(cohort.records) == 1 and len(cohort.skipped) == len(odd)
    again = open_store(database).save("mallory", "c1", "nb", "not-a-date", "new", kind="note")
    assert again["attempts"] == 1 and again["answer"] == "new"
