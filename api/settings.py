"""Settings, read once from the environment.

Each field's environment variable is `BRIGADE_<FIELD>` (DATABASE_URL for the first);
the string under each field is its documentation: `brigade config` and the README's
configuration table are both built from it.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import os
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = "postgresql://postgres@127.0.0.1:54320/brigade"
    """Administrative connection (superuser or the owner role) for bootstrap and migrations.
    Pointing it at an existing server skips the private cluster."""
    owner_role: str = "brigade_owner"
    """Role that owns every object; migrations run as it (SET ROLE), never as superuser."""
    authenticator_password: str = ""
    """Password of the `authenticator` login role that the API pool uses."""
    worker_password: str = ""
    """Password of the `worker` login role that the worker uses."""
    api_database_url: str = ""
    """Connection of the API pool; default: DATABASE_URL with user `authenticator`."""
    worker_database_url: str = ""
    """Connection of the worker; default: DATABASE_URL with user `worker`."""
    host: str = "127.0.0.1"
    """Address the API listens on."""
    port: int = 8000
    """Port the API listens on."""
    pool_min_size: int = 2
    """Connections the API pool keeps open."""
    pool_max_size: int = 10
    """Most connections the API pool opens."""
    pool_timeout: float = 3.0
    """Seconds a request waits for a pool connection before it answers 503."""
    connect_timeout: int = 3
    """Seconds to wait when opening a database connection."""
    statement_timeout_ms: int = 5000
    """statement_timeout of API connections: a runaway query is cancelled, not a hang."""
    max_body_bytes: int = 65536
    """Largest request body accepted; larger ones get 413."""
    jwt_secret: str = ""
    """HS256 key for access tokens; the private cluster generates one under .brigade/."""
    jwt_issuer: str = "brigade"
    """`iss` of access tokens, required when verifying."""
    jwt_audience: str = "brigade-api"
    """`aud` of access tokens, required when verifying."""
    totp_key: str = ""
    """Key that encrypts platform admins' TOTP secrets at rest (pgcrypto pgp_sym_encrypt)."""
    access_token_ttl: int = 900
    """Seconds an access token lives."""
    log_level: str = "info"
    """Level of the JSON log (one line per request)."""
    sql_dir: str = ""
    """Directory holding migrations/, functions/, policies/ and jobs/; default: the repo's sql/."""
    worker_concurrency: int = 4
    """Tasks one `brigade worker` runs at the same time, each on its own database connection."""
    worker_batch: int = 10
    """Tasks a worker connection claims in one statement, then runs one after the other."""
    worker_poll_seconds: float = 1.0
    """Seconds between polls for due tasks when no NOTIFY comes (delayed retries, LISTEN off);
    expired leases are taken back as often."""
    worker_lease_seconds: int = 30
    """Seconds a claimed task stays leased without a heartbeat (renewed every third of it);
    on SIGTERM the worker gives running tasks this long to finish, then hands them back."""
    worker_listen: bool = True
    """Wake workers by LISTEN/NOTIFY on a dedicated direct connection; false behind PgBouncer
    in transaction mode (workers then only poll)."""
    webhook_key: str = ""
    """Key that encrypts webhook signing secrets at rest (pgcrypto pgp_sym_encrypt); the
    private cluster generates one under .brigade/."""
    webhook_timeout: float = 10.0
    """Seconds a webhook delivery may take (connect and answer) before it counts as failed."""
    webhook_disable_after: int = 10
    """Consecutive failed deliveries after which a webhook subscription is disabled."""
    webhook_allow_loopback: bool = False
    """Let webhooks reach loopback addresses (127.0.0.1, ::1): for tests only; private,
    link-local and other non-public addresses stay refused."""
    sse_heartbeat_seconds: float = 15.0
    """Seconds between comment lines on an idle SSE stream (proxies close silent ones)."""
    sse_buffer: int = 5000
    """Events an SSE client may fall behind by; a slower client is disconnected and replays
    what it missed with Last-Event-ID when it reconnects. Above the 1,000 events one read of
    the log hands over at once, so a burst alone never cuts off a client that keeps up."""
    events_poll_seconds: float = 5.0
    """Seconds between reads of the event log when no NOTIFY arrives (a safety net; wake-ups
    normally deliver events at once)."""
    smtp_url: str = ""
    """smtp://user:password@host:587 (STARTTLS when offered) or smtps://...:465 for e-mail
    notifications; empty: notifications are only recorded in app.notifications."""
    smtp_from: str = "brigade@localhost"
    """From address of e-mail notifications."""

    @classmethod
    def load(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw = {name: env[var] for name, var in env_names().items() if env.get(var, "") != ""}
        return msgspec.convert(raw, cls, strict=False)

    @property
    def api_url(self) -> str:
        return self.api_database_url or with_credentials(
            self.database_url, "authenticator", self.authenticator_password
        )

    @property
    def worker_url(self) -> str:
        return self.worker_database_url or with_credentials(
            self.database_url, "worker", self.worker_password
        )


def env_names() -> dict[str, str]:
    """Field name → environment variable."""
    return {
        name: "DATABASE_URL" if name == "database_url" else f"BRIGADE_{name.upper()}"
        for name in Settings.__struct_fields__
    }


def documented() -> list[tuple[str, str, str]]:
    """(variable, default, description) for every setting, from the docstrings above."""
    tree = ast.parse(inspect.getsource(Settings))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs: dict[str, str] = {}
    for node, following in itertools.pairwise(body):
        if isinstance(node, ast.AnnAssign) and isinstance(following, ast.Expr):
            docs[node.target.id] = " ".join(following.value.value.split())  # type: ignore[union-attr]
    defaults = Settings()
    names = env_names()
    return [(names[f], str(getattr(defaults, f)), docs[f]) for f in Settings.__struct_fields__]


def with_credentials(url: str, user: str, password: str | None) -> str:
    """Return `url` with its user and password replaced (host, port and database kept)."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    netloc = quote(user, safe="")
    if password:
        netloc += ":" + quote(password, safe="")
    netloc += "@" + host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.load()
