"""Cluster-level set-up that needs a superuser: roles, the database, extensions.

Migrations run as the owner role and cannot create roles or untrusted extensions, so
this step runs first, as the DATABASE_URL user (ADR 0002). It is idempotent.
"""

from __future__ import annotations

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from api.settings import Settings

REQUEST_ROLES = ("anon", "customer", "staff", "platform")


def _exists(cur: psycopg.Cursor, query: str, value: str) -> bool:
    return cur.execute(query, [value]).fetchone() is not None


def _ensure_role(cur: psycopg.Cursor, name: str, options: str, password: str | None) -> None:
    verb = "alter" if _exists(cur, "select 1 from pg_roles where rolname = %s", name) else "create"
    stmt = sql.SQL("{} role {} " + options).format(sql.SQL(verb), sql.Identifier(name))
    if password:
        stmt = sql.SQL("{} password {}").format(stmt, sql.Literal(password))
    cur.execute(stmt)


def bootstrap(settings: Settings, *, extensions: tuple[str, ...] = ()) -> list[str]:
    """Create roles, the database and the extensions; return what was done."""
    done: list[str] = []
    params = conninfo_to_dict(settings.database_url)
    dbname = params.get("dbname") or "brigade"
    owner = settings.owner_role
    maintenance = make_conninfo(settings.database_url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn, conn.cursor() as cur:
        # BYPASSRLS: definer functions and cron jobs act across tenants on purpose (ADR 0004).
        # LOGIN: pg_cron starts each job as a session of its role, and PostgreSQL 15 refuses
        # a role that may not log in ("role is not permitted to log in"). No password is
        # set, and pg_hba asks one of every role but postgres: nobody can log in as it.
        _ensure_role(cur, owner, "login nosuperuser nocreatedb nocreaterole bypassrls", None)
        _ensure_role(
            cur,
            "authenticator",
            "login noinherit nosuperuser nocreatedb nocreaterole nobypassrls",
            settings.authenticator_password or None,
        )
        for role in REQUEST_ROLES:
            _ensure_role(cur, role, "nologin nosuperuser nobypassrls", None)
            cur.execute(sql.SQL("grant {} to authenticator").format(sql.Identifier(role)))
        _ensure_role(
            cur, "worker", "login nosuperuser nobypassrls", settings.worker_password or None
        )
        # Lets a superuser-less admin connection still SET ROLE to the owner.
        cur.execute(sql.SQL("grant {} to current_user").format(sql.Identifier(owner)))
        done.append("roles")
        if not _exists(cur, "select 1 from pg_database where datname = %s", dbname):
            cur.execute(
                sql.SQL("create database {} owner {} encoding 'UTF8' template template0").format(
                    sql.Identifier(dbname), sql.Identifier(owner)
                )
            )
            done.append(f"database {dbname}")
        cur.execute(
            sql.SQL("revoke connect, temporary on database {} from public").format(
                sql.Identifier(dbname)
            )
        )
        cur.execute(
            sql.SQL("grant connect on database {} to authenticator, worker, {}").format(
                sql.Identifier(dbname), sql.Identifier(owner)
            )
        )
    with psycopg.connect(settings.database_url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(
            sql.SQL("create schema if not exists extensions authorization {}").format(
                sql.Identifier(owner)
            )
        )
        cur.execute("grant usage on schema extensions to public")
        cur.execute("create extension if not exists pgcrypto schema extensions")
        preload = cur.execute("show shared_preload_libraries").fetchone()[0]
        if "pg_stat_statements" in preload:
            cur.execute("create extension if not exists pg_stat_statements schema extensions")
        cron_db = cur.execute("select current_setting('cron.database_name', true)").fetchone()[0]
        if "pg_cron" in preload and cron_db == dbname:
            cur.execute("create extension if not exists pg_cron")
            cur.execute(sql.SQL("grant usage on schema cron to {}").format(sql.Identifier(owner)))
            done.append("pg_cron")
        for ext in extensions:
            cur.execute(sql.SQL("create extension if not exists {}").format(sql.Identifier(ext)))
        done.append("extensions")
    return done
