"""docker-compose.yml and its Dockerfiles, checked statically: there is no Docker engine here.

Each check returns the problems it finds. The files in the repository must have none, and
a deliberately broken copy must make each check speak (the negative controls at the end),
so no check passes whatever the files say.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from api.settings import Settings, env_names

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
LIB_SH = ROOT / "scripts" / "lib.sh"
APP_SERVICES = ("migrate", "api", "worker")
# cluster_init settings that are about where the private cluster listens; the container
# listens on all its interfaces at 5432 and keeps the socket for `docker compose exec psql`.
LISTENING = {"listen_addresses", "port", "unix_socket_directories"}
REQUIRED_PACKAGES = ("postgresql-15-cron", "postgresql-15-pgtap", "postgresql-15-plpgsql-check")
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}")
REQUIRED_SECRET = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*):\?[^}]*\}")


@dataclass
class Stack:
    """The compose file, plus any text that a negative control replaced."""

    compose: dict[str, Any]
    texts: dict[Path, str] = field(default_factory=dict)

    def read(self, path: Path) -> str:
        return self.texts[path] if path in self.texts else path.read_text(encoding="utf-8")

    def service(self, name: str) -> dict[str, Any]:
        return self.compose["services"][name]

    def dockerfile(self, name: str) -> Path:
        build = self.service(name)["build"]
        return ROOT / build["context"] / build.get("dockerfile", "Dockerfile")


def load_stack() -> Stack:
    return Stack(yaml.safe_load(COMPOSE.read_text(encoding="utf-8")))


# --- reading Dockerfiles, lib.sh and compose values ---------------------------------------


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    result, pending = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, rest = (pending + line).partition(" ")
        result.append((keyword.upper(), rest.strip()))
        pending = ""
    return result


def image_env(text: str) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, rest in instructions(text):
        if keyword == "ENV":
            env.update(item.split("=", 1) for item in shlex.split(rest))
    return env


def server_settings(text: str) -> dict[str, str]:
    """The `-c name=value` options of the image's CMD."""
    cmds = [json.loads(rest) for keyword, rest in instructions(text) if keyword == "CMD"]
    if not cmds:
        return {}
    args = cmds[-1]
    return dict(args[i + 1].split("=", 1) for i, arg in enumerate(args) if arg == "-c")


def installed_packages(text: str) -> set[str]:
    packages: set[str] = set()
    for keyword, rest in instructions(text):
        if keyword == "RUN" and "apt-get install" in rest:
            packages |= set(re.findall(r"(?<![\w=-])(postgresql-\d+-[a-z0-9.-]+)", rest))
    return packages


def cluster_settings(lib_sh: str) -> dict[str, str]:
    """The postgresql.conf lines that scripts/lib.sh cluster_init writes."""
    body = lib_sh.split("cluster_init() {", 1)[1].split("\n}\n", 1)[0]
    found = re.findall(r'echo "([a-z_.]+) = (.*)"', body)
    return {name: value.strip("'") for name, value in found}


def generated_secrets(lib_sh: str) -> list[str]:
    """The variables that scripts/lib.sh ensure_env_file generates for `make run`."""
    body = lib_sh.split("ensure_env_file() {", 1)[1].split("\n}\n", 1)[0]
    return re.findall(r"^([A-Z_]+)=\$\(random_secret\)$", body, re.M)


def is_secret(var: str) -> bool:
    return any(word in var for word in ("PASSWORD", "SECRET")) or var.endswith("_KEY")


def lib_sh_packages(lib_sh: str) -> list[str]:
    block = re.search(r"APT_PACKAGES=\((.*?)\)", lib_sh, re.S)
    return block.group(1).split() if block else []


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def resolved(value: str) -> str:
    """A compose value with every ${VAR...} replaced by a placeholder (as if it were set)."""
    return INTERPOLATION.sub(lambda m: f"x{m.group(1).lower()}x", value)


def command(service: dict[str, Any]) -> str:
    cmd = service.get("command", "")
    return " ".join(cmd) if isinstance(cmd, list) else str(cmd)


def healthcheck(service: dict[str, Any]) -> str:
    test = (service.get("healthcheck") or {}).get("test", "")
    return " ".join(test) if isinstance(test, list) else str(test)


def published_targets(service: dict[str, Any]) -> list[int]:
    targets = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            targets.append(int(port["target"]))
        else:
            targets.append(int(str(port).split(":")[-1].split("/")[0]))
    return targets


def effective_setting(stack: Stack, service: str, variable: str) -> str:
    """What the service's process reads: compose environment, else the image's ENV, else
    the Settings default."""
    env = environment(stack.service(service))
    if variable in env:
        return env[variable]
    image = image_env(stack.read(stack.dockerfile(service)))
    if variable in image:
        return image[variable]
    field_name = {var: name for name, var in env_names().items()}[variable]
    return str(getattr(Settings(), field_name))


# --- the checks ----------------------------------------------------------------------------


def check_services(stack: Stack) -> list[str]:
    services = stack.compose.get("services") or {}
    return [f"service {name} is missing" for name in ("db", *APP_SERVICES) if name not in services]


def check_builds(stack: Stack) -> list[str]:
    problems = []
    for name, service in stack.compose["services"].items():
        if "build" not in service:
            problems.append(f"{name}: no build section (every image is built from this repo)")
            continue
        context = ROOT / service["build"]["context"]
        if not context.is_dir():
            problems.append(f"{name}: build context {context} does not exist")
        elif not stack.dockerfile(name).is_file():
            problems.append(f"{name}: dockerfile {stack.dockerfile(name)} does not exist")
    return problems


def check_setting_names(stack: Stack) -> list[str]:
    known = set(env_names().values())
    problems = [
        f"{name}: {var} is not a setting of api/settings.py"
        for name in APP_SERVICES
        for var in environment(stack.service(name))
        if var not in known
    ]
    image = image_env(stack.read(stack.dockerfile("api")))
    problems += [
        f"api image: ENV {var} is not a setting of api/settings.py"
        for var in image
        if var not in known and not var.startswith(("PYTHON", "PIP_"))
    ]
    return problems


def check_api_port(stack: Stack) -> list[str]:
    port = int(effective_setting(stack, "api", "BRIGADE_PORT"))
    problems = []
    targets = published_targets(stack.service("api"))
    if not targets:
        problems.append("api: no port is published")
    problems += [
        f"api: publishes container port {t}, but BRIGADE_PORT is {port}"
        for t in targets
        if t != port
    ]
    if effective_setting(stack, "api", "BRIGADE_HOST") != "0.0.0.0":
        problems.append("api: BRIGADE_HOST must be 0.0.0.0 to be reachable from outside")
    probe = healthcheck(stack.service("api"))
    if f"127.0.0.1:{port}/healthz" not in probe:
        problems.append(f"api: healthcheck does not probe /healthz on port {port}: {probe!r}")
    return problems


def check_database_urls(stack: Stack) -> list[str]:
    settings = server_settings(stack.read(stack.dockerfile("db")))
    db_port = int(settings.get("port", "5432"))
    cron_db = settings.get("cron.database_name", "postgres")
    problems = []
    for name in APP_SERVICES:
        env = environment(stack.service(name))
        if "DATABASE_URL" not in env:
            problems.append(f"{name}: no DATABASE_URL")
        for var, value in env.items():
            if not var.endswith("DATABASE_URL"):
                continue
            url = urlsplit(resolved(value))
            if url.scheme not in ("postgresql", "postgres"):
                problems.append(f"{name}: {var} is not a postgresql:// URL")
            if url.hostname != "db":
                problems.append(f"{name}: {var} names host {url.hostname}, not the db service")
            if (url.port or 5432) != db_port:
                problems.append(f"{name}: {var} port {url.port} but db listens on {db_port}")
            if url.path.lstrip("/") != cron_db:
                problems.append(
                    f"{name}: {var} database {url.path!r} is not cron.database_name {cron_db!r}"
                )
    if f"-p {db_port}" not in healthcheck(stack.service("db")):
        problems.append(f"db: healthcheck does not probe port {db_port}")
    return problems


def check_db_image(stack: Stack) -> list[str]:
    text = stack.read(stack.dockerfile("db"))
    problems = []
    base = [rest for keyword, rest in instructions(text) if keyword == "FROM"]
    if base != ["postgres:15-bookworm"]:
        problems.append(f"db: image is built FROM {base}, not postgres:15-bookworm")
    packages = installed_packages(text)
    problems += [f"db: {p} is not installed" for p in REQUIRED_PACKAGES if p not in packages]
    lib_sh = stack.read(LIB_SH)
    problems += [
        f"db: {p} is installed for make run (lib.sh APT_PACKAGES) but not in the image"
        for p in lib_sh_packages(lib_sh)
        if re.fullmatch(r"postgresql-\d+-[a-z0-9.-]+", p) and p not in packages
    ]
    expected = {k: v for k, v in cluster_settings(lib_sh).items() if k not in LISTENING}
    actual = server_settings(text)
    problems += [
        f"db: {k} is {actual.get(k)!r}, cluster_init sets {v!r}"
        for k, v in expected.items()
        if actual.get(k) != v
    ]
    problems += [f"db: {k} is not set by cluster_init" for k in actual if k not in expected]
    return problems


def check_secrets(stack: Stack) -> list[str]:
    problems = []
    for name, service in stack.compose["services"].items():
        for var, value in environment(service).items():
            if is_secret(var):
                match = REQUIRED_SECRET.fullmatch(value)
                if not match or match.group("name") != var:
                    problems.append(f"{name}: {var} must be ${{{var}:?...}}, not a value")
            userinfo = re.match(r"^[a-z]+://([^@/]*)@", value)
            if userinfo and ":" in userinfo.group(1):
                password = userinfo.group(1).split(":", 1)[1]
                if not REQUIRED_SECRET.fullmatch(password):
                    problems.append(f"{name}: {var} carries a literal password")
    return problems


def check_generated_secrets(stack: Stack) -> list[str]:
    """Each secret `make run` generates reaches the containers too, as a required variable."""
    wired = {
        var
        for name in APP_SERVICES
        for var, value in environment(stack.service(name)).items()
        if REQUIRED_SECRET.fullmatch(value)
    }
    return [
        f"{var} is generated for make run (lib.sh) but no service receives it"
        for var in generated_secrets(stack.read(LIB_SH))
        if var not in wired
    ]


def check_bootstrap_owns_the_database(stack: Stack) -> list[str]:
    dbname = urlsplit(resolved(environment(stack.service("migrate"))["DATABASE_URL"])).path
    if environment(stack.service("db")).get("POSTGRES_DB") == dbname.lstrip("/"):
        return ["db: POSTGRES_DB would create the database owned by postgres, not the owner"]
    return []


def check_wiring(stack: Stack) -> list[str]:
    problems = []
    migrate = command(stack.service("migrate"))
    if "brigade db bootstrap && brigade db migrate" not in migrate:
        problems.append(f"migrate: runs {migrate!r}, not bootstrap && migrate")
    for name, expected in (("api", "brigade serve"), ("worker", "brigade worker")):
        if command(stack.service(name)) != expected:
            problems.append(f"{name}: runs {command(stack.service(name))!r}, not {expected!r}")
    wants = {
        "migrate": {"db": "service_healthy"},
        "api": {"db": "service_healthy", "migrate": "service_completed_successfully"},
        "worker": {"db": "service_healthy", "migrate": "service_completed_successfully"},
    }
    for name, deps in wants.items():
        declared = stack.service(name).get("depends_on") or {}
        for dep, condition in deps.items():
            got = declared.get(dep, {}).get("condition") if isinstance(declared, dict) else None
            if got != condition:
                problems.append(f"{name}: depends_on {dep} is {got!r}, not {condition!r}")
    if not healthcheck(stack.service("db")).startswith("CMD pg_isready"):
        problems.append("db: healthcheck is not pg_isready")
    return problems


CHECKS: list[Callable[[Stack], list[str]]] = [
    check_services,
    check_builds,
    check_setting_names,
    check_api_port,
    check_database_urls,
    check_db_image,
    check_secrets,
    check_generated_secrets,
    check_bootstrap_owns_the_database,
    check_wiring,
]


# --- the real files ------------------------------------------------------------------------


def test_compose_file_parses_into_services():
    stack = load_stack()
    assert isinstance(stack.compose, dict)
    assert check_services(stack) == []


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_repository_passes(check):
    assert check(load_stack()) == []


def test_the_parsers_find_what_the_checks_rely_on():
    """The checks compare parsed values; prove the parsers did not silently read nothing."""
    stack = load_stack()
    lib_sh = LIB_SH.read_text(encoding="utf-8")
    assert cluster_settings(lib_sh)["shared_preload_libraries"] == "pg_cron,pg_stat_statements"
    assert cluster_settings(lib_sh)["cron.database_name"] == "brigade"
    assert "postgresql-15-cron" in lib_sh_packages(lib_sh)
    assert "BRIGADE_JWT_SECRET" in generated_secrets(lib_sh)
    db_file = stack.read(stack.dockerfile("db"))
    assert server_settings(db_file)["cron.enable_superuser_jobs"] == "off"
    assert {"postgresql-15-cron", "postgresql-15-pgtap"} <= installed_packages(db_file)
    assert image_env(stack.read(stack.dockerfile("api")))["BRIGADE_SQL_DIR"] == "/app/sql"
    assert environment(stack.service("api"))["BRIGADE_PORT"] == "8000"
    assert published_targets(stack.service("api")) == [8000]


def test_the_api_image_points_the_migrator_at_the_sql_it_copies():
    text = load_stack().read(ROOT / "docker" / "api.Dockerfile")
    copies = {
        rest.split()[-1].removeprefix("./"): rest.split()[0]
        for keyword, rest in instructions(text)
        if keyword == "COPY"
    }
    assert copies.get("sql") == "sql", "the image must copy the repo's sql/ to /app/sql"
    assert image_env(text)["BRIGADE_SQL_DIR"] == "/app/sql"
    assert [rest for keyword, rest in instructions(text) if keyword == "WORKDIR"] == ["/app"]


def test_the_api_build_context_lets_in_what_the_image_copies():
    """docker/api.Dockerfile.dockerignore ignores everything but what is re-included."""
    ignore = (ROOT / "docker" / "api.Dockerfile.dockerignore").read_text(encoding="utf-8")
    lines = [line.strip() for line in ignore.splitlines()]
    assert "*" in lines, "the context is an allow-list: .brigade/ (secrets) must stay out"
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    sources = [
        rest.split()[0].removeprefix("./").rstrip("/")
        for keyword, rest in instructions((ROOT / "docker" / "api.Dockerfile").read_text("utf-8"))
        if keyword == "COPY"
    ]
    assert sources
    assert [src for src in sources if src not in allowed] == []
    assert not {".brigade", ".venv", ".env"} & allowed


# --- negative controls: every check can fail -----------------------------------------------


def _set_env(service: str, var: str, value: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        stack.service(service).setdefault("environment", {})[var] = value

    return mutate


def _replace(path: Path, old: str, new: str) -> Callable[[Stack], None]:
    def mutate(stack: Stack) -> None:
        text = stack.read(path)
        assert old in text, f"negative control is stale: {old!r} not in {path.name}"
        stack.texts[path] = text.replace(old, new)

    return mutate


def _edit(fn: Callable[[dict[str, Any]], None]) -> Callable[[Stack], None]:
    return lambda stack: fn(stack.compose["services"])


DB_FILE = ROOT / "docker" / "postgres.Dockerfile"
API_FILE = ROOT / "docker" / "api.Dockerfile"

BROKEN = {
    "worker service removed": (check_services, _edit(lambda s: s.pop("worker"))),
    "missing build context": (
        check_builds,
        _edit(lambda s: s["db"]["build"].update(context="no-such-dir")),
    ),
    "missing dockerfile": (
        check_builds,
        _edit(lambda s: s["api"]["build"].update(dockerfile="docker/nope.Dockerfile")),
    ),
    "unknown setting in api": (check_setting_names, _set_env("api", "BRIGADE_PROT", "8000")),
    "unknown setting in worker": (check_setting_names, _set_env("worker", "DB_URL", "x")),
    "unknown setting in image": (
        check_setting_names,
        _replace(API_FILE, "BRIGADE_SQL_DIR=", "BRIGADE_SQL_PATH="),
    ),
    "port differs from BRIGADE_PORT": (check_api_port, _set_env("api", "BRIGADE_PORT", "9000")),
    "nothing published": (check_api_port, _edit(lambda s: s["api"].pop("ports"))),
    "listening on loopback": (check_api_port, _set_env("api", "BRIGADE_HOST", "127.0.0.1")),
    "wrong database host": (
        check_database_urls,
        _set_env("api", "DATABASE_URL", "postgresql://localhost:5432/brigade"),
    ),
    "wrong database port": (
        check_database_urls,
        _set_env("worker", "DATABASE_URL", "postgresql://db:5433/brigade"),
    ),
    "database is not the cron database": (
        check_database_urls,
        _set_env("migrate", "DATABASE_URL", "postgresql://postgres:${P:?x}@db:5432/other"),
    ),
    "specific URL elsewhere": (
        check_database_urls,
        _set_env("api", "BRIGADE_API_DATABASE_URL", "postgresql://authenticator@pg/brigade"),
    ),
    "db listens elsewhere": (
        check_database_urls,
        _replace(DB_FILE, '"-c", "max_connections=300"', '"-c", "port=5433"'),
    ),
    "other base image": (
        check_db_image,
        _replace(DB_FILE, "FROM postgres:15-bookworm", "FROM postgres:16-bookworm"),
    ),
    "pg_cron not installed": (
        check_db_image,
        _replace(DB_FILE, "postgresql-15-cron", "postgresql-15-repack"),
    ),
    "pgTAP not installed": (check_db_image, _replace(DB_FILE, "postgresql-15-pgtap", "")),
    "setting differs from cluster_init": (
        check_db_image,
        _replace(DB_FILE, "cron.enable_superuser_jobs=off", "cron.enable_superuser_jobs=on"),
    ),
    "setting missing": (
        check_db_image,
        _replace(DB_FILE, '"-c", "cron.use_background_workers=on", ', ""),
    ),
    "cluster_init gains a setting": (
        check_db_image,
        _replace(LIB_SH, 'echo "max_connections = 300"', "echo \"work_mem = '8MB'\""),
    ),
    "lib.sh gains an extension": (
        check_db_image,
        _replace(LIB_SH, "postgresql-15-pgtap", "postgresql-15-pgtap postgresql-15-hll"),
    ),
    "literal secret": (check_secrets, _set_env("api", "BRIGADE_JWT_SECRET", "hunter2")),
    "secret with a default": (
        check_secrets,
        _set_env("db", "POSTGRES_PASSWORD", "${POSTGRES_PASSWORD:-postgres}"),
    ),
    "a generated secret not wired": (
        check_generated_secrets,
        _edit(lambda s: [s[n]["environment"].pop("BRIGADE_TOTP_KEY") for n in ("api", "migrate")]),
    ),
    "make run generates a new secret": (
        check_generated_secrets,
        _replace(
            LIB_SH,
            "BRIGADE_JWT_SECRET=$(random_secret)",
            "BRIGADE_JWT_SECRET=$(random_secret)\nBRIGADE_WEBHOOK_SECRET=$(random_secret)",
        ),
    ),
    "a key with a literal value": (check_secrets, _set_env("api", "BRIGADE_TOTP_KEY", "abc")),
    "password in a URL": (
        check_secrets,
        _set_env("migrate", "DATABASE_URL", "postgresql://postgres:postgres@db:5432/brigade"),
    ),
    "POSTGRES_DB creates the database": (
        check_bootstrap_owns_the_database,
        _set_env("db", "POSTGRES_DB", "brigade"),
    ),
    "migrate skips bootstrap": (
        check_wiring,
        _edit(lambda s: s["migrate"].update(command=["brigade", "db", "migrate"])),
    ),
    "api starts before migrations": (
        check_wiring,
        _edit(lambda s: s["api"]["depends_on"].pop("migrate")),
    ),
    "worker runs something else": (
        check_wiring,
        _edit(lambda s: s["worker"].update(command="brigade serve")),
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_check_reports_a_broken_copy(case):
    check, mutate = BROKEN[case]
    stack = load_stack()
    assert check(stack) == [], "the control starts from a passing file"
    broken = Stack(copy.deepcopy(stack.compose))
    mutate(broken)
    assert check(broken), f"{check.__name__} did not notice: {case}"
