"""The response store on a database (PostgreSQL, or SQLite on one machine), for hubs where
participants share no disk. Same records and guarantees as the directory store:

- one row per participant per activity (primary key), saved by an atomic upsert in a
  transaction, so concurrent saves never lose an answer and `attempts` counts exactly;
- parameterised statements only (SQLAlchemy Core), so hostile text is stored as data;
- a versioned table, `workshop_responses_v1`, created on first use: a new layout would get a new
  table name, so no migrations are needed;
- the table is made once even when many first saves arrive together (under an advisory lock on
  PostgreSQL, `CREATE TABLE IF NOT EXISTS` on SQLite), and made again if it disappears (a deleted
  SQLite file);
- SQLite runs in WAL mode with a busy timeout, so writers wait for each other instead of failing;
- transient errors (a lock, a serialization failure, a lost connection before the commit) are
  tried again a few times with a short backoff;
- a database that cannot be reached raises StoreUnavailableError (an OSError), which the session
  turns into one sentence while it keeps the answer in memory.

On PostgreSQL, row-level security can key every row to the database role that wrote it (see the
README and `workshop db-sql`): a participant's connection then reads and writes only its own rows.
Role names hold at most 63 bytes, so `database_role` maps a hub user name to the role it logs in
as, and the SQL function `workshop_role` does the same inside the policy.
"""

from __future__ import annotations

import hashlib
import json
import random
import time

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    create_engine,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import CreateTable

from workshop_lib.errors import ConfigurationError
from workshop_lib.i18n.catalog import _
from workshop_lib.responses.records import (
    SCHEMA,
    SCHEMA_VERSION,
    InvalidIdError,
    Skipped,
    StoreUnavailableError,
    check_answer,
    check_ids,
    checked_record,
    new_record,
    utc_now,
    validate_record,
)

TABLE_NAME = f"workshop_responses_v{SCHEMA_VERSION}"
KEY = ("participant", "cohort", "notebook", "activity")

metadata = MetaData()
responses = Table(
    TABLE_NAME,
    metadata,
    Column("participant", Text, nullable=False),
    Column("cohort", Text, nullable=False),
    Column("notebook", Text, nullable=False),
    Column("activity", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("display_name", Text, nullable=False, default=""),
    Column("answer", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("first_saved", Text, nullable=False),
    Column("last_saved", Text, nullable=False),
    PrimaryKeyConstraint(*KEY, name=f"{TABLE_NAME}_pkey"),
)
# The room's controls (workshop_lib.responses.controls): per cohort and activity a public
# document (locked, round, a revealed poll result) that participants read, and a private one
# (hidden notes) that only trainers read; `locked` is a column so that row-level security can
# refuse a participant's answer to a locked activity.
CONTROLS_TABLE = "workshop_controls_v1"
controls = Table(
    CONTROLS_TABLE,
    metadata,
    Column("cohort", Text, nullable=False),
    Column("activity", Text, nullable=False),
    Column("public", Boolean, nullable=False),
    Column("locked", Boolean, nullable=False, default=False),
    Column("state", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("updated_by", Text, nullable=False, default=""),
    PrimaryKeyConstraint("cohort", "activity", "public", name=f"{CONTROLS_TABLE}_pkey"),
)
# What the live room's looks use: the rows of one activity saved since a moment
# (workshop_lib.responses.watch). Made by `workshop db-sql`, or on first use by the owner.
changes_index = Index(
    f"{TABLE_NAME}_changes", responses.c.cohort, responses.c.activity, responses.c.last_saved
)
INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}

BUSY_TIMEOUT_MS = 10_000  # how long an SQLite writer waits for another before "locked"
RETRIES = 4  # further tries after a transient error
BACKOFF_SECONDS = 0.05  # before the first retry; doubled each time, with jitter
RETRY_WINDOW_SECONDS = 2.0  # no new try starts later than this after the first

_CONTENTION_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization, deadlock, lock not available
_SHUTDOWN_SQLSTATES = {"57P01", "57P02", "57P03"}  # the server is stopping or starting
_ALREADY_EXISTS_SQLSTATES = {"42P07", "42710"}  # duplicate table, duplicate object
_PASSING_FATALS = ("starting up", "shutting down", "in recovery mode", "too many clients")
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def _sqlstate(exc: DBAPIError) -> str:
    return getattr(exc.orig, "sqlstate", None) or ""


def _table_missing(exc: DBAPIError) -> bool:
    """The table is gone (a deleted SQLite file made again, a dropped table)."""
    return _sqlstate(exc) == "42P01" or "no such table" in str(exc.orig)


def _contention(exc: DBAPIError) -> bool:
    """Another writer was in the way: the transaction did not commit and can be run again."""
    message = str(exc.orig).lower()
    code = getattr(exc.orig, "sqlite_errorcode", None)
    return (
        _sqlstate(exc) in _CONTENTION_SQLSTATES | _ALREADY_EXISTS_SQLSTATES
        or (code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED))
        or "database is locked" in message
        or "database table is locked" in message
        or "already exists" in message
        or ("duplicate key" in message and "pg_type" in message)
    )


def _disconnected(exc: DBAPIError) -> bool:
    """The connection failed or was lost (refused, reset, a server restart)."""
    state = _sqlstate(exc)
    if exc.connection_invalidated or state.startswith("08") or state in _SHUTDOWN_SQLSTATES:
        return True
    # psycopg gives a connection that failed or broke no SQLSTATE (SQLite errors have none at
    # all): the network (refused, reset, closed) is worth another try; a server's FATAL refusal
    # (a wrong password, no such database) is not, unless the server is restarting or full.
    if not isinstance(exc, OperationalError) or getattr(exc.orig, "sqlstate", "") is not None:
        return False
    message = str(exc.orig)
    return "FATAL:" not in message or any(words in message for words in _PASSING_FATALS)


def _set_sqlite_pragmas(dbapi_connection, _connection_record) -> None:
    """Every SQLite connection: wait for other writers (busy timeout), and write-ahead logging,
    so readers never block the writer and writers queue instead of failing."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def create_once(connection, backend: str, table: Table) -> None:
    """Create `table` unless it is there; many first users at once create it once (on
    PostgreSQL under an advisory lock named by the table)."""
    if inspect(connection).has_table(table.name):
        return
    if backend == "postgresql":
        # One creator at a time; the others find the table when they get the lock.
        # (CREATE TABLE IF NOT EXISTS alone still fails in parallel on PostgreSQL.)
        lock = int.from_bytes(hashlib.sha256(table.name.encode()).digest()[:8], "big", signed=True)
        connection.execute(select(func.pg_advisory_xact_lock(lock)))
    if not inspect(connection).has_table(table.name):
        connection.execute(CreateTable(table, if_not_exists=True))


class SqlStore:
    """Answers of every participant in one database."""

    def __init__(self, url: str):
        self.url = url
        try:
            parsed = make_url(url)
        except Exception:  # SQLAlchemy raises several kinds for a malformed URL
            raise ConfigurationError(
                _(
                    "The database URL cannot be read: write it as postgresql://user@host/database "
                    "or sqlite:///path/to/file.db"
                )
            ) from None
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_backend_name() not in INSERTS:
            raise ConfigurationError(
                _(
                    "The database '{name}' is not supported: use postgresql://user@host/database "
                    "or sqlite:///path/to/file.db"
                ).format(name=parsed.get_backend_name())
            )
        self.location = parsed.render_as_string(hide_password=True)
        self.backend = parsed.get_backend_name()
        if self.backend == "postgresql":
            self.engine = create_engine(
                parsed, pool_pre_ping=True, connect_args={"connect_timeout": 5}
            )
        elif parsed.database and parsed.database != ":memory:":
            # A new connection for every transaction: a deleted and re-made file is seen as
            # it is now, not through a connection to the old one, and WAL files are tidied.
            self.engine = create_engine(parsed, poolclass=NullPool)
        else:
            self.engine = create_engine(parsed)
        if self.backend == "sqlite":
            event.listen(self.engine, "connect", _set_sqlite_pragmas)
        self._insert = INSERTS[self.backend]
        self._ready = False

    def _ensure_table(self) -> None:
        """Create the table unless it is there; many first saves at once create it once."""
        if self._ready:
            return
        with self.engine.begin() as connection:
            create_once(connection, self.backend, responses)
        self._ready = True

    def _run(self, work):
        """Run `work(connection)` in one transaction. A missing table is made again once;
        transient errors are tried again a few times, with a short backoff; anything else, or
        a transient error that lasts, is a StoreUnavailableError."""
        started, tries, remade = time.monotonic(), 0, False
        while True:
            tries += 1
            committing = False
            try:
                self._ensure_table()
                with self.engine.connect() as connection, connection.begin():
                    result = work(connection)
                    committing = True  # from here on, a lost connection may have committed
                return result
            except DBAPIError as exc:
                if _table_missing(exc) and not remade:
                    self._ready, remade = False, True
                    continue
                retry = _contention(exc) or (_disconnected(exc) and not committing)
                waited = time.monotonic() - started
                if retry and tries <= RETRIES and waited < RETRY_WINDOW_SECONDS:
                    time.sleep(BACKOFF_SECONDS * 2 ** (tries - 1) * random.uniform(0.5, 1.5))
                    continue
                raise self._unavailable(exc) from exc
            except SQLAlchemyError as exc:
                raise self._unavailable(exc) from exc

    @staticmethod
    def _unavailable(exc: SQLAlchemyError) -> StoreUnavailableError:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return StoreUnavailableError(
            _("the database refused or did not answer: {reason}").format(reason=reason)
        )

    @staticmethod
    def _record(row) -> dict:
        """A row as a record, checked in full; ValueError with a plain reason when it is not."""
        record = dict(row._mapping)
        try:
            record["answer"] = json.loads(record["answer"])
        except RecursionError:
            raise ValueError(_("the answer is nested too deeply to read")) from None
        except (TypeError, ValueError):
            raise ValueError(_("the answer is not valid JSON")) from None
        return validate_record({"schema": SCHEMA, "schema_version": SCHEMA_VERSION, **record})

    def save(
        self,
        participant: str,
        cohort: str,
        notebook: str,
        activity: str,
        answer: object,
        *,
        kind: str = "answer",
        display_name: str = "",
        new_attempt: bool = True,
    ) -> dict:
        """Upsert the answer in one transaction and return the record as saved."""
        check_ids(participant=participant, cohort=cohort, notebook=notebook, activity=activity)
        if "\x00" in participant + cohort + notebook + activity:
            raise InvalidIdError(_("An id for the database cannot contain NUL."))
        check_answer(answer)
        checked_record(
            new_record(
                None,
                participant=participant,
                cohort=cohort,
                notebook=notebook,
                activity=activity,
                kind=kind,
                answer=answer,
                display_name=display_name,
                new_attempt=new_attempt,
            )
        )
        now = utc_now()
        encoded = json.dumps(answer, ensure_ascii=False, sort_keys=True)
        statement_key = (participant, cohort, notebook, activity)
        statement = self._insert(responses).values(
            participant=participant,
            cohort=cohort,
            notebook=notebook,
            activity=activity,
            kind=kind,
            display_name=display_name,
            answer=encoded,
            attempts=1,
            first_saved=now,
            last_saved=now,
        )
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=list(KEY),
            set_={
                "kind": excluded.kind,
                "answer": excluded.answer,
                "display_name": func.coalesce(
                    func.nullif(excluded.display_name, ""), responses.c.display_name
                ),
                "attempts": responses.c.attempts + (1 if new_attempt else 0),
                "last_saved": excluded.last_saved,
            },
        ).returning(*responses.c)
        restart = (
            update(responses)
            .where(*[responses.c[k] == v for k, v in zip(KEY, statement_key, strict=True)])
            .values(
                kind=kind,
                display_name=display_name,
                answer=encoded,
                attempts=1,
                first_saved=now,
                last_saved=now,
            )
            .returning(*responses.c)
        )

        def upsert(connection):
            row = connection.execute(statement).one()
            try:
                return self._record(row)
            except ValueError:
                # The row saved before cannot be read (written by hand): start it again, as the
                # folder store does with a file it cannot read; same transaction, same lock.
                return self._record(connection.execute(restart).one())

        return self._run(upsert)

    def load(self, participant: str, cohort: str, notebook: str, activity: str) -> dict | None:
        """The saved record, or None when there is none, it cannot be read, or the database
        does not answer."""
        query = select(responses).where(
            responses.c.participant == participant,
            responses.c.cohort == cohort,
            responses.c.notebook == notebook,
            responses.c.activity == activity,
        )
        try:
            row = self._run(lambda connection: connection.execute(query).first())
        except StoreUnavailableError:
            return None
        if row is None:
            return None
        try:
            return self._record(row)
        except ValueError:
            return None

    def _select(self, *conditions) -> tuple[list[dict], list[Skipped]]:
        query = select(responses).where(*conditions).order_by(*[responses.c[k] for k in KEY])
        rows = self._run(lambda connection: connection.execute(query).all())
        records, skipped = [], []
        for row in rows:
            try:
                records.append(self._record(row))
            except ValueError as exc:
                key = "/".join(str(getattr(row, k)) for k in KEY)
                skipped.append(Skipped(key, str(exc)))
        return records, skipped

    def records(self, cohort: str | None = None) -> tuple[list[dict], list[Skipped]]:
        """Every readable record (of one cohort, if given) and the rows that were skipped."""
        return self._select(*([responses.c.cohort == cohort] if cohort else []))

    def participant_records(
        self, participant: str, cohort: str | None = None
    ) -> tuple[list[dict], list[Skipped]]:
        """One participant's records."""
        conditions = [responses.c.participant == participant]
        if cohort:
            conditions.append(responses.c.cohort == cohort)
        return self._select(*conditions)


def ensure_controls_table(store: SqlStore) -> None:
    """Create the controls table unless it is there (once, under an advisory lock on
    PostgreSQL); raises StoreUnavailableError when the database refuses."""
    if getattr(store, "_controls_ready", False):
        return
    try:
        with store.engine.begin() as connection:
            create_once(connection, store.backend, controls)
    except SQLAlchemyError as exc:
        raise store._unavailable(exc) from exc
    store._controls_ready = True


PARTICIPANTS_ROLE = "workshop_participants"
TRAINERS_ROLE = "workshop_trainers"
ROLE_FUNCTION = "workshop_role"
MAX_ROLE_BYTES = 63  # PostgreSQL cuts longer names (NAMEDATALEN - 1), at login too
ROLE_PREFIX = "workshop_"  # a mapped role: this prefix and the start of a SHA-256 in hex
ROLE_HASH_CHARS = 40  # 160 bits of the hash; the role is 49 bytes
RESERVED_ROLES = ("public", "none")  # and every name starting "pg_"


def database_role(participant: str) -> str:
    """The PostgreSQL role a participant (a hub user name) logs in as under row-level security.

    The name itself when it is a role name PostgreSQL keeps as given: at most 63 bytes of
    UTF-8, not reserved (public, none, pg_...) and not starting with the prefix of mapped names.
    Any other name becomes `workshop_` and 40 hex digits of the SHA-256 of its UTF-8 bytes, so
    two long e-mail addresses that share their first 63 bytes get different roles, and no one
    can pick a hub name that maps onto another's role. `workshop_role()` in the SQL of
    `postgres_setup_sql()` computes the same, and the policies compare it with current_user.
    """
    data = participant.encode("utf-8")
    fits = 0 < len(data) <= MAX_ROLE_BYTES
    if (
        fits
        and not participant.startswith((ROLE_PREFIX, "pg_"))
        and participant not in (RESERVED_ROLES)
    ):
        return participant
    return ROLE_PREFIX + hashlib.sha256(data).hexdigest()[:ROLE_HASH_CHARS]


def _role_function_sql() -> str:
    reserved = ", ".join(f"'{name}'" for name in RESERVED_ROLES)
    return f"""
CREATE OR REPLACE FUNCTION {ROLE_FUNCTION}(participant text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = pg_catalog, pg_temp
  AS $$
    SELECT CASE
      WHEN octet_length(convert_to(participant, 'UTF8')) BETWEEN 1 AND {MAX_ROLE_BYTES}
        AND left(participant, {len(ROLE_PREFIX)}) <> '{ROLE_PREFIX}'
        AND left(participant, 3) <> 'pg_'
        AND participant NOT IN ({reserved})
      THEN participant
      ELSE '{ROLE_PREFIX}'
        || left(encode(sha256(convert_to(participant, 'UTF8')), 'hex'), {ROLE_HASH_CHARS})
    END
  $$;
COMMENT ON FUNCTION {ROLE_FUNCTION}(text) IS
  'The role a hub user logs in as: the name up to 63 bytes, else workshop_ and a SHA-256';
""".strip()


def postgres_setup_sql() -> str:
    """SQL (PostgreSQL) that creates the table, the two group roles, the role-name function and
    row-level security: a member of workshop_participants reads and writes only rows whose
    participant maps to its own role name (`workshop_role(participant) = current_user`, see
    `database_role`), and none for an activity the trainer locked; a member of
    workshop_trainers reads every row and writes none. The room's controls table: trainers
    read and write it, participants read its public rows only."""
    table = str(CreateTable(responses).compile(dialect=postgresql.dialect())).strip()
    room = str(CreateTable(controls).compile(dialect=postgresql.dialect())).strip()
    own = f"{ROLE_FUNCTION}(participant) = current_user"
    # An answer to a locked activity (or to a later round of it) is refused by the database.
    not_locked = (
        f"NOT EXISTS (SELECT 1 FROM {CONTROLS_TABLE} c WHERE c.cohort = {TABLE_NAME}.cohort "
        f"AND c.activity = regexp_replace({TABLE_NAME}.activity, '\\.round-[0-9]+$', '') "
        "AND c.public AND c.locked)"
    )
    return f"""
DO $$ BEGIN
  CREATE ROLE {PARTICIPANTS_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE ROLE {TRAINERS_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
{table.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1)};
{_role_function_sql()}
GRANT EXECUTE ON FUNCTION {ROLE_FUNCTION}(text) TO {PARTICIPANTS_ROLE}, {TRAINERS_ROLE};
ALTER TABLE {TABLE_NAME} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_rows ON {TABLE_NAME};
CREATE POLICY own_rows ON {TABLE_NAME} FOR ALL TO {PARTICIPANTS_ROLE}
  USING ({own}) WITH CHECK ({own});
DROP POLICY IF EXISTS trainers_read ON {TABLE_NAME};
CREATE POLICY trainers_read ON {TABLE_NAME} FOR SELECT TO {TRAINERS_ROLE} USING (true);
GRANT SELECT, INSERT, UPDATE ON {TABLE_NAME} TO {PARTICIPANTS_ROLE};
GRANT SELECT ON {TABLE_NAME} TO {TRAINERS_ROLE};
CREATE INDEX IF NOT EXISTS {changes_index.name} ON {TABLE_NAME} (cohort, activity, last_saved);
{room.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1)};
ALTER TABLE {CONTROLS_TABLE} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS participants_read_public ON {CONTROLS_TABLE};
CREATE POLICY participants_read_public ON {CONTROLS_TABLE} FOR SELECT TO {PARTICIPANTS_ROLE}
  USING (public);
DROP POLICY IF EXISTS trainers_keep_controls ON {CONTROLS_TABLE};
CREATE POLICY trainers_keep_controls ON {CONTROLS_TABLE} FOR ALL TO {TRAINERS_ROLE}
  USING (true) WITH CHECK (true);
GRANT SELECT ON {CONTROLS_TABLE} TO {PARTICIPANTS_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON {CONTROLS_TABLE} TO {TRAINERS_ROLE};
DROP POLICY IF EXISTS open_activities_insert ON {TABLE_NAME};
CREATE POLICY open_activities_insert ON {TABLE_NAME} AS RESTRICTIVE FOR INSERT
  TO {PARTICIPANTS_ROLE} WITH CHECK ({not_locked});
DROP POLICY IF EXISTS open_activities_update ON {TABLE_NAME};
CREATE POLICY open_activities_update ON {TABLE_NAME} AS RESTRICTIVE FOR UPDATE
  TO {PARTICIPANTS_ROLE} USING (true) WITH CHECK ({not_locked});
""".strip()
