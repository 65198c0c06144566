"""Schema drift: the live database against one freshly built from the migrations.

Both sides are described by the same catalog query, one normalized line per object,
so the diff is readable and independent of object creation order.
"""

from __future__ import annotations

import difflib
import secrets

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from api.db.bootstrap import bootstrap
from api.db.migrate import migrate, sql_dir
from api.settings import Settings

OURS = ["app", "app_private", "api", "auth", "queue", "audit", "report", "archive"]

DESCRIBE = """
with ours as (
    select oid, nspname from pg_namespace where nspname = any(%(ours)s)
),
not_extension as (
    select objid from pg_depend where deptype = 'e'
)
select line from (
    select format('relation %%s.%%s %%s rls=%%s forced=%%s', n.nspname, c.relname, c.relkind,
                  c.relrowsecurity, c.relforcerowsecurity) as line
    from pg_class c join ours n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
      and c.oid not in (select objid from not_extension)
    union all
    select format('column %%s.%%s.%%s %%s notnull=%%s default=%%s', n.nspname, c.relname, a.attname,
                  format_type(a.atttypid, a.atttypmod), a.attnotnull,
                  pg_get_expr(d.adbin, d.adrelid))
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join ours n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
    union all
    select format('constraint %%s.%%s %%s %%s', n.nspname, c.relname, k.conname,
                  pg_get_constraintdef(k.oid))
    from pg_constraint k join pg_class c on c.oid = k.conrelid join ours n on n.oid = c.relnamespace
    union all
    select format('index %%s', pg_get_indexdef(i.indexrelid))
    from pg_index i join pg_class c on c.oid = i.indrelid join ours n on n.oid = c.relnamespace
    union all
    select format('policy %%s.%%s %%s %%s to %%s using (%%s) check (%%s)', schemaname, tablename,
                  policyname, cmd, roles::text, qual, with_check)
    from pg_policies where schemaname = any(%(ours)s)
    union all
    select format('trigger %%s', pg_get_triggerdef(t.oid))
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join ours n on n.oid = c.relnamespace
    where not t.tgisinternal
    union all
    select format('function %%s md5=%%s acl=%%s', p.oid::regprocedure,
                  md5(pg_get_functiondef(p.oid)), p.proacl::text)
    from pg_proc p join ours n on n.oid = p.pronamespace
    where p.prokind in ('f', 'p', 'w') and p.oid not in (select objid from not_extension)
    union all
    select format('grant %%s.%%s %%s', n.nspname, c.relname, c.relacl::text)
    from pg_class c join ours n on n.oid = c.relnamespace
    where c.relacl is not null
) described
order by line
"""


def describe(conninfo: str) -> list[str]:
    with psycopg.connect(conninfo) as conn:
        return [row[0] for row in conn.execute(DESCRIBE, {"ours": OURS}).fetchall()]


def drift(settings: Settings) -> list[str]:
    """Unified diff from a fresh build (---) to the live database (+++); empty when equal."""
    live_db = conninfo_to_dict(settings.database_url).get("dbname") or "brigade"
    scratch_db = f"{live_db}_drift_{secrets.token_hex(4)}"
    scratch_url = make_conninfo(settings.database_url, dbname=scratch_db)
    maintenance = make_conninfo(settings.database_url, dbname="postgres")
    scratch = settings.__class__(**{**_as_dict(settings), "database_url": scratch_url})
    try:
        bootstrap(scratch)
        with psycopg.connect(scratch_url) as conn:
            migrate(conn, sql_dir(settings), settings.owner_role)
        expected = describe(scratch_url)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(
                    sql.Identifier(scratch_db)
                )
            )
    actual = describe(settings.database_url)
    return list(difflib.unified_diff(expected, actual, "migrations", "live", lineterm="", n=0))


def _as_dict(settings: Settings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__struct_fields__}
