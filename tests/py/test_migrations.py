"""The migrator, `db status` and `db drift`, run as the real console script."""

from __future__ import annotations

import secrets
import shutil
import threading
from pathlib import Path

import psycopg
import pytest
from conftest import ROOT, brigade_cli
from psycopg import sql
from psycopg.conninfo import make_conninfo


@pytest.fixture
def fresh_db(settings):
    """An empty database name on the suite's server; dropped afterwards."""
    name = f"brigade_fresh_{secrets.token_hex(4)}"
    url = make_conninfo(settings.database_url, dbname=name)
    yield url
    with psycopg.connect(
        make_conninfo(settings.database_url, dbname="postgres"), autocommit=True
    ) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


@pytest.fixture
def sql_copy(tmp_path: Path) -> Path:
    target = tmp_path / "sql"
    shutil.copytree(ROOT / "sql", target)
    return target


def applied(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("select count(*) from meta.migrations").fetchone()[0]


def test_migrations_apply_on_a_new_database_then_apply_nothing(fresh_db):
    assert brigade_cli(fresh_db, "db", "bootstrap").returncode == 0
    first = brigade_cli(fresh_db, "db", "migrate")
    assert first.returncode == 0, first.stderr
    assert "versioned/V0001__schemas_and_grants.sql" in first.stdout
    count = applied(fresh_db)
    second = brigade_cli(fresh_db, "db", "migrate")
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("applied 0 file(s)")
    assert applied(fresh_db) == count
    status = brigade_cli(fresh_db, "db", "status")
    assert status.returncode == 0
    assert "pending" not in status.stdout


def test_dry_run_reports_and_leaves_nothing(fresh_db):
    brigade_cli(fresh_db, "db", "bootstrap")
    dry = brigade_cli(fresh_db, "db", "migrate", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would apply")
    with psycopg.connect(fresh_db) as conn:
        assert conn.execute("select to_regclass('meta.migrations')").fetchone()[0] is None
        assert conn.execute("select to_regnamespace('app')").fetchone()[0] is None


def test_status_and_migrate_refuse_an_edited_migration(scratch_db, sql_copy):
    url = scratch_db()
    v1 = sql_copy / "migrations" / "V0001__schemas_and_grants.sql"
    v1.write_text(v1.read_text() + "\n-- edited after it ran\n")
    status = brigade_cli(url, "db", "status", BRIGADE_SQL_DIR=str(sql_copy))
    assert status.returncode == 1
    assert "edited   versioned/V0001__schemas_and_grants.sql" in status.stdout
    migrate = brigade_cli(url, "db", "migrate", BRIGADE_SQL_DIR=str(sql_copy))
    assert migrate.returncode == 1
    assert "were edited" in migrate.stderr


def test_a_changed_function_is_pending_then_reapplied(scratch_db, sql_copy):
    url = scratch_db()
    fn = sql_copy / "functions" / "api" / "whoami.sql"
    fn.write_text(fn.read_text().replace("'db_role', current_user", "'db_role', session_user"))
    status = brigade_cli(url, "db", "status", BRIGADE_SQL_DIR=str(sql_copy))
    assert status.returncode == 0
    assert "changed  functions/api/whoami.sql" in status.stdout
    migrate = brigade_cli(url, "db", "migrate", BRIGADE_SQL_DIR=str(sql_copy))
    assert migrate.returncode == 0, migrate.stderr
    assert "functions/api/whoami.sql" in migrate.stdout
    with psycopg.connect(url) as conn:
        body = conn.execute("select prosrc from pg_proc where proname = 'whoami'").fetchone()[0]
    assert "session_user" in body


def test_a_failing_file_rolls_everything_back(scratch_db, sql_copy):
    url = scratch_db()
    (sql_copy / "migrations" / "V9998__good.sql").write_text("create table app.good (id int);\n")
    (sql_copy / "migrations" / "V9999__bad.sql").write_text("select 1/0;\n")
    migrate = brigade_cli(url, "db", "migrate", BRIGADE_SQL_DIR=str(sql_copy))
    assert migrate.returncode == 1
    assert "V9999__bad.sql" in migrate.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("select to_regclass('app.good')").fetchone()[0] is None


def test_two_migrators_never_interleave(fresh_db):
    brigade_cli(fresh_db, "db", "bootstrap")
    results = []

    def run():
        results.append(brigade_cli(fresh_db, "db", "migrate"))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    counts = sorted(int(r.stdout.split()[1]) for r in results)
    assert counts[0] == 0, "the second migrator must find everything already applied"
    assert counts[1] == applied(fresh_db)


def test_drift_is_clean_then_catches_a_hand_added_column(scratch_db):
    url = scratch_db()
    clean = brigade_cli(url, "db", "drift")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no drift" in clean.stdout
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("alter table app.branches add column fax text")
    drifted = brigade_cli(url, "db", "drift")
    assert drifted.returncode == 1
    assert "+column app.branches.fax text" in drifted.stdout


def test_migrated_objects_belong_to_the_owner_not_the_superuser(admin):
    owners = admin.execute(
        """
        select distinct pg_get_userbyid(c.relowner)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('app', 'app_private', 'audit', 'meta')
        union
        select distinct pg_get_userbyid(p.proowner)
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('app', 'app_private', 'api', 'auth')
        """
    ).fetchall()
    assert owners == [("brigade_owner",)]
    applied_by = admin.execute("select distinct applied_by from meta.migrations").fetchall()
    assert applied_by == [("brigade_owner",)]
