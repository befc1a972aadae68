"""The response store on a database (PostgreSQL, or SQLite on one machine), for hubs where
participants share no disk. Same records and guarantees as the directory store:

- one row per participant per activity (primary key), saved by an atomic upsert in a
  transaction, so concurrent saves never lose an answer and `attempts` counts exactly;
- parameterised statements only (SQLAlchemy Core), so hostile text is stored as data;
- a versioned table, `workshop_responses_v1`, created on first use: a new layout would get a new
  table name, so no migrations are needed;
- a database that cannot be reached raises StoreUnavailableError (an OSError), which the session
  turns into one sentence while it keeps the answer in memory.

On PostgreSQL, row-level security can key every row to the database role that wrote it (see the
README and `deploy/postgres_setup.sql`): a participant's connection then reads and writes only
its own rows.
"""

from __future__ import annotations

import json

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    create_engine,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from workshop_lib.errors import ConfigurationError
from workshop_lib.responses.records import (
    SCHEMA,
    SCHEMA_VERSION,
    Skipped,
    StoreUnavailableError,
    InvalidIdError,
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
INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class SqlStore:
    """Answers of every participant in one database."""

    def __init__(self, url: str):
        self.url = url
        try:
            parsed = make_url(url)
        except Exception:  # SQLAlchemy raises several kinds for a malformed URL
            raise ConfigurationError(
                "The database URL cannot be read: write it as postgresql://user@host/database "
                "or sqlite:///path/to/file.db"
            ) from None
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        if parsed.get_backend_name() not in INSERTS:
            raise ConfigurationError(
                f"The database '{parsed.get_backend_name()}' is not supported: "
                "use postgresql://user@host/database or sqlite:///path/to/file.db"
            )
        self.location = parsed.render_as_string(hide_password=True)
        connect_args = {"connect_timeout": 5} if parsed.get_backend_name() == "postgresql" else {}
        self.engine = create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
        self._insert = INSERTS[parsed.get_backend_name()]
        self._ready = False

    def _ensure_table(self) -> None:
        if not self._ready:
            metadata.create_all(self.engine, checkfirst=True)
            self._ready = True

    def _run(self, work):
        try:
            self._ensure_table()
            with self.engine.begin() as connection:
                return work(connection)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreUnavailableError(
                f"the database refused or did not answer: {reason}"
            ) from exc

    @staticmethod
    def _record(row) -> dict:
        record = dict(row._mapping)
        try:
            record["answer"] = json.loads(record["answer"])
        except (TypeError, json.JSONDecodeError, RecursionError):
            raise ValueError("the answer is not valid JSON") from None
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
            raise InvalidIdError("An id for the database cannot contain NUL.")
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
        statement = self._insert(responses).values(
            participant=participant,
            cohort=cohort,
            notebook=notebook,
            activity=activity,
            kind=kind,
            display_name=display_name,
            answer=json.dumps(answer, ensure_ascii=False, sort_keys=True),
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
        return self._run(lambda connection: self._record(connection.execute(statement).one()))

    def load(self, participant: str, cohort: str, notebook: str, activity: str) -> dict | None:
        """The saved record, or None."""
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
        return None if row is None else self._record(row)

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


PARTICIPANTS_ROLE = "workshop_participants"
TRAINERS_ROLE = "workshop_trainers"


def postgres_setup_sql() -> str:
    """SQL (PostgreSQL) that creates the table, the two group roles and row-level security:
    a member of workshop_participants reads and writes only rows whose participant is its own
    role name (the hub user name); a member of workshop_trainers reads every row."""
    from sqlalchemy.schema import CreateTable

    table = str(CreateTable(responses).compile(dialect=postgresql.dialect())).strip()
    return f"""
DO $$ BEGIN
  CREATE ROLE {PARTICIPANTS_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN
  CREATE ROLE {TRAINERS_ROLE} NOLOGIN;
EXCEPTION WHEN duplicate_object THEN NULL; END $$;
{table.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1)};
ALTER TABLE {TABLE_NAME} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_rows ON {TABLE_NAME};
CREATE POLICY own_rows ON {TABLE_NAME} FOR ALL TO {PARTICIPANTS_ROLE}
  USING (participant = current_user) WITH CHECK (participant = current_user);
DROP POLICY IF EXISTS trainers_read ON {TABLE_NAME};
CREATE POLICY trainers_read ON {TABLE_NAME} FOR SELECT TO {TRAINERS_ROLE} USING (true);
GRANT SELECT, INSERT, UPDATE ON {TABLE_NAME} TO {PARTICIPANTS_ROLE};
GRANT SELECT ON {TABLE_NAME} TO {TRAINERS_ROLE};
""".strip()
