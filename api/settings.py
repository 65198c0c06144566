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
