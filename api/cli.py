"""`brigade`: the operator's command line (migrations, drift, the server)."""

from __future__ import annotations

import argparse
import sys

import psycopg
from psycopg import sql

from api.db import migrate as migrations
from api.db import statements as q
from api.settings import documented, get_settings


def _db_bootstrap(args: argparse.Namespace) -> int:
    from api.db.bootstrap import bootstrap

    done = bootstrap(get_settings(), extensions=tuple(args.extension or ()))
    print("bootstrap:", ", ".join(done))
    return 0


def _db_migrate(args: argparse.Namespace) -> int:
    settings = get_settings()
    with psycopg.connect(settings.database_url) as conn:
        try:
            done = migrations.migrate(
                conn, migrations.sql_dir(settings), settings.owner_role, dry_run=args.dry_run
            )
        except migrations.MigrationError as exc:
            print(f"migrate: {exc}", file=sys.stderr)
            return 1
    verb = "would apply" if args.dry_run else "applied"
    print(f"{verb} {len(done)} file(s)")
    for name in done:
        print(f"  {name}")
    return 0


def _db_status(_: argparse.Namespace) -> int:
    settings = get_settings()
    with psycopg.connect(settings.database_url) as conn:
        states = migrations.status(conn, migrations.sql_dir(settings))
    counts: dict[str, int] = {}
    for s in states:
        counts[s.state] = counts.get(s.state, 0) + 1
        if s.state != "applied":
            print(f"{s.state:8} {s.file.kind}/{s.file.name}")
    print(", ".join(f"{n} {state}" for state, n in sorted(counts.items())))
    edited = [s for s in states if s.state == "edited"]
    if edited:
        print(
            "error: applied versioned migrations were edited; add a new migration instead",
            file=sys.stderr,
        )
        return 1
    return 0


def _db_drift(_: argparse.Namespace) -> int:
    from api.db.drift import drift

    diff = drift(get_settings())
    if diff:
        print("\n".join(diff))
        return 1
    print("no drift: the live schema matches the migrations")
    return 0


def _owner_connection() -> psycopg.Connection:
    """Admin connection acting as the owner role: operator commands, like migrations."""
    settings = get_settings()
    conn = psycopg.connect(settings.database_url, autocommit=True)
    conn.execute(q.SET_ROLE.format(sql.Identifier(settings.owner_role)))
    return conn


def _create_platform_admin(args: argparse.Namespace) -> int:
    import pyotp

    settings = get_settings()
    secret = pyotp.random_base32()
    with _owner_connection() as conn:
        conn.execute(
            q.CREATE_PLATFORM_ADMIN,
            [args.email, args.password, args.name, secret, settings.totp_key],
        )
    print(f"platform admin {args.email} is ready; add this to an authenticator app:")
    print(pyotp.TOTP(secret).provisioning_uri(name=args.email, issuer_name="Brigade"))
    return 0


def _demo_load(_: argparse.Namespace) -> int:
    settings = get_settings()
    with _owner_connection() as conn:
        demo = conn.execute(q.LOAD_DEMO).fetchone()[0]
    base = f"http://{settings.host}:{settings.port}"
    print(f"demo restaurant {demo['restaurant_id']}, branch {demo['branch_id']}")
    for person in demo["people"]:
        login = person["email"] or "(PIN only)"
        secret = f"password {person['password']}" if person["password"] else ""
        pin = f"PIN {person['pin']}" if person["pin"] else ""
        print(f"  {person['role']:8} {login:28} {secret:26} {pin}")
    print(f"  device activation code (single use, 24 h): {demo['device_code']}")
    for qr in demo["qr_tokens"]:
        print(f"  table QR: curl -X POST {base}/v1/tables/{qr}/session")
    print(f"  kitchen screen: {base}/kds  (activate with the code above, then PIN 1111)")
    print(f"  order at table T1: {sys.executable.rsplit('/', 1)[0]}/brigade demo order")
    return 0


def _demo_order(args: argparse.Namespace) -> int:
    """Order at a demo table over HTTP, as a guest scanning its QR code would."""
    from api.demo import place_demo_order

    settings = get_settings()
    order = place_demo_order(f"http://{settings.host}:{settings.port}", args.table)
    lines = ", ".join(f"{i['quantity']} x {i['name']}" for i in order["items"])
    print(f"order {order['number']} ({order['status']}): {lines}; total {order['total']}")
    return 0


def _serve(_: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_config=None,
        proxy_headers=False,
        # SSE streams never end by themselves: on SIGTERM they get this long, then are cut
        # (clients reconnect with Last-Event-ID to another process).
        timeout_graceful_shutdown=5,
    )
    return 0


def _worker(_: argparse.Namespace) -> int:
    from api.worker import main as worker_main

    return worker_main(get_settings())


def _queue(args: argparse.Namespace) -> int:
    from api.worker import queue_command

    with _owner_connection() as conn:
        return queue_command(conn, args.queue_command, args.id)


def _jobs(_: argparse.Namespace) -> int:
    with _owner_connection() as conn:
        if not conn.execute(q.HAS_CRON).fetchone()[0]:
            print("pg_cron is not installed in this database: no schedules", file=sys.stderr)
            return 1
        rows = conn.execute(q.JOBS).fetchall()
    print(f"{'job':26} {'schedule':14} {'last run (UTC)':20} {'status':10} {'took':>8}  failed 1h")
    for name, schedule, active, user, status, started, took, message, failed in rows:
        when = f"{started:%Y-%m-%d %H:%M:%S}" if started else "never"
        state = (status or "-") if active else "inactive"
        seconds = f"{took:.2f} s" if took is not None else ""
        print(f"{name:26} {schedule:14} {when:20} {state:10} {seconds:>8}  {failed}")
        if status == "failed" and message:
            print(f"{'':26} {message.splitlines()[0][:200]}")
        if user != get_settings().owner_role:
            print(f"{'':26} runs as {user}, not as the owner role")
    print(f"{len(rows)} job(s)")
    return 0


def _config(_: argparse.Namespace) -> int:
    for variable, default, doc in documented():
        print(f"{variable}={default!s:30} # {doc}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brigade", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database: bootstrap, migrate, status, drift")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    boot = db_sub.add_parser("bootstrap", help="roles, database, extensions (needs a superuser)")
    boot.add_argument("--extension", action="append", help="also create this extension")
    boot.set_defaults(func=_db_bootstrap)
    mig = db_sub.add_parser("migrate", help="apply pending migrations and changed functions")
    mig.add_argument("--dry-run", action="store_true", help="apply, report, then roll back")
    mig.set_defaults(func=_db_migrate)
    db_sub.add_parser(
        "status", help="applied and pending files; fails on an edited migration"
    ).set_defaults(func=_db_status)
    db_sub.add_parser(
        "drift", help="diff the live schema against a fresh build of the files"
    ).set_defaults(func=_db_drift)

    admin = sub.add_parser("admin", help="platform administration")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_sub.add_parser(
        "create-platform-admin", help="create a platform admin; prints the TOTP otpauth URI last"
    )
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--name", default="Platform admin")
    create.set_defaults(func=_create_platform_admin)

    demo = sub.add_parser("demo", help="the demo restaurant")
    demo_commands = demo.add_subparsers(dest="demo_command", required=True)
    demo_commands.add_parser(
        "load", help="load the demo restaurant (idempotent) and print its logins"
    ).set_defaults(func=_demo_load)
    order = demo_commands.add_parser(
        "order", help="order at a demo table over HTTP (its tickets appear on the kitchen screen)"
    )
    order.add_argument("--table", default="demo-table-1", help="the table's QR token")
    order.set_defaults(func=_demo_order)

    sub.add_parser("serve", help="run the HTTP API").set_defaults(func=_serve)
    sub.add_parser("config", help="every setting with its default").set_defaults(func=_config)
    jobs = sub.add_parser("jobs", help="pg_cron schedules with their last run and status")
    jobs.set_defaults(func=_jobs)
    sub.add_parser("worker", help="run queued tasks until SIGTERM").set_defaults(func=_worker)
    queue = sub.add_parser("queue", help="the task queue: status, dead, retry")
    queue.set_defaults(func=_queue, id=None)
    queue_sub = queue.add_subparsers(dest="queue_command", required=True)
    queue_sub.add_parser("status", help="tasks by type and state, oldest pending age")
    queue_sub.add_parser("dead", help="dead tasks with their last error")
    queue_sub.add_parser("retry", help="run a dead task again").add_argument("id", type=int)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except psycopg.OperationalError as exc:
        print(f"brigade: cannot reach the database: {exc}", file=sys.stderr)
        return 2
    except psycopg.Error as exc:
        print(f"brigade: {exc.diag.message_primary or exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `brigade ... | head`: the reader left, nothing went wrong
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
