"""The migrator: versioned files once, repeatable files whenever they change.

All of it runs in one transaction as the owner role, under an advisory lock, so a
failed file leaves the database as it was and two migrators never interleave.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from api.settings import Settings

REPEATABLE_KINDS = ("functions", "policies", "jobs")
VERSIONED = re.compile(r"^V(\d{4,})__[a-z0-9_]+\.sql$")
LOCK_KEY = 7_340_115  # pg_advisory_xact_lock key shared by every migrator

META_DDL = """
create schema if not exists meta;
comment on schema meta is 'Bookkeeping of the migrator; no request role has usage.';
create table if not exists meta.migrations (
    kind text not null check (kind in ('versioned', 'functions', 'policies', 'jobs')),
    name text not null,
    checksum text not null,
    applied_at timestamptz not null default now(),
    applied_by text not null default current_user,
    duration_ms integer not null,
    primary key (kind, name)
);
comment on table meta.migrations is 'One row per applied SQL file, with its checksum.';
create or replace function meta.applied_checksums()
returns table (kind text, name text, checksum text)
language sql stable security definer set search_path = ''
as $$ select m.kind, m.name, m.checksum from meta.migrations as m $$;
comment on function meta.applied_checksums() is
    'Lets the API login role check readiness without any table right.';
revoke all on function meta.applied_checksums() from public;
grant usage on schema meta to authenticator;
grant execute on function meta.applied_checksums() to authenticator;
"""


class MigrationError(Exception):
    """A migration cannot be applied or the applied history does not match the files."""


@dataclass(frozen=True, slots=True)
class SqlFile:
    kind: str
    name: str
    path: Path
    checksum: str

    @classmethod
    def read(cls, kind: str, name: str, path: Path) -> SqlFile:
        return cls(kind, name, path, hashlib.sha256(path.read_bytes()).hexdigest())

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class FileState:
    file: SqlFile
    state: str  # applied | pending | changed | edited (a versioned file changed after it ran)


def sql_dir(settings: Settings) -> Path:
    return (
        Path(settings.sql_dir) if settings.sql_dir else Path(__file__).resolve().parents[2] / "sql"
    )


def discover(root: Path) -> list[SqlFile]:
    """Every file in the order it is applied: versioned by number, then each repeatable kind."""
    versioned = []
    for path in (root / "migrations").glob("*.sql"):
        match = VERSIONED.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: versioned files are named V0001__snake_case.sql")
        versioned.append((int(match.group(1)), path))
    versioned.sort()
    numbers = [n for n, _ in versioned]
    if len(set(numbers)) != len(numbers):
        raise MigrationError("two versioned migrations share a number")
    files = [SqlFile.read("versioned", p.name, p) for _, p in versioned]
    for kind in REPEATABLE_KINDS:
        base = root / kind
        files += [
            SqlFile.read(kind, p.relative_to(base).as_posix(), p)
            for p in sorted(base.rglob("*.sql"))
        ]
    return files


def _applied(cur: psycopg.Cursor) -> dict[tuple[str, str], str]:
    if cur.execute("select to_regclass('meta.migrations')").fetchone()[0] is None:
        return {}
    rows = cur.execute("select kind, name, checksum from meta.migrations").fetchall()
    return {(kind, name): checksum for kind, name, checksum in rows}


def _has_cron(cur: psycopg.Cursor) -> bool:
    return cur.execute("select to_regnamespace('cron') is not null").fetchone()[0]


def status(conn: psycopg.Connection, root: Path) -> list[FileState]:
    """Each file with its state against what the database recorded."""
    files = discover(root)
    with conn.cursor() as cur:
        applied = _applied(cur)
        cron = _has_cron(cur)
    result = []
    for f in files:
        if f.kind == "jobs" and not cron:
            continue  # pg_cron lives in one database per cluster: jobs apply only there
        previous = applied.get((f.kind, f.name))
        if previous is None:
            state = "pending"
        elif previous == f.checksum:
            state = "applied"
        else:
            state = "edited" if f.kind == "versioned" else "changed"
        result.append(FileState(f, state))
    return result


def migrate(
    conn: psycopg.Connection, root: Path, owner: str, *, dry_run: bool = False
) -> list[str]:
    """Apply what is pending; return the names applied. Raises MigrationError, leaving nothing."""
    files = discover(root)
    done: list[str] = []
    with conn.transaction(force_rollback=dry_run), conn.cursor() as cur:
        cur.execute(sql.SQL("set local role {}").format(sql.Identifier(owner)))
        cur.execute("select pg_advisory_xact_lock(%s)", [LOCK_KEY])
        # Function bodies are checked by plpgsql_check and pgTAP; here order must not matter.
        cur.execute("set local check_function_bodies = off")
        cur.execute("set local client_min_messages = warning")
        cur.execute(META_DDL)
        applied = _applied(cur)
        edited = [
            f.name
            for f in files
            if f.kind == "versioned"
            and applied.get(("versioned", f.name), f.checksum) != f.checksum
        ]
        if edited:
            raise MigrationError(f"applied migrations were edited: {', '.join(edited)}")
        cron = _has_cron(cur)
        versioned_ran = False
        for f in files:
            previous = applied.get((f.kind, f.name))
            if f.kind == "versioned" and previous is not None:
                continue
            if f.kind != "versioned" and previous == f.checksum and not versioned_ran:
                continue
            if f.kind == "jobs" and not cron:
                continue  # pg_cron lives in one database per cluster; only there
            started = time.perf_counter()
            try:
                cur.execute(f.text.encode())
            except psycopg.Error as exc:
                raise MigrationError(f"{f.kind}/{f.name}: {exc}") from exc
            versioned_ran = versioned_ran or f.kind == "versioned"
            cur.execute(
                """
                insert into meta.migrations (kind, name, checksum, duration_ms)
                values (%s, %s, %s, %s)
                on conflict (kind, name) do update
                set checksum = excluded.checksum, applied_at = now(),
                    applied_by = current_user, duration_ms = excluded.duration_ms
                """,
                [f.kind, f.name, f.checksum, round((time.perf_counter() - started) * 1000)],
            )
            done.append(f"{f.kind}/{f.name}")
    return done


def pending_files(
    files: list[SqlFile], applied: list[tuple[str, str, str]], *, cron: bool
) -> list[SqlFile]:
    """Files whose current checksum is not the one recorded (jobs only where pg_cron is)."""
    recorded = {(kind, name): checksum for kind, name, checksum in applied}
    return [
        f
        for f in files
        if recorded.get((f.kind, f.name)) != f.checksum and (f.kind != "jobs" or cron)
    ]
