"""The error contract: sql/README.md's table is api/errors.py's mapping, sql/ raises only
documented states, and the documented example really answers what the page says."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from api.errors import (
    DEFAULT_CODES,
    SQLSTATE_CLASS_STATUS,
    SQLSTATE_CODES,
    SQLSTATE_STATUS,
    problem_for_database,
)

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "sql" / "README.md"
HEADING = "### SQLSTATE → HTTP"
RAISE = re.compile(r"\braise\s+exception\b(?P<body>.*?);", re.I | re.S)
SNAKE = re.compile(r"[a-z][a-z0-9_]{1,62}")


class Contract:
    """The table of sql/README.md, parsed."""

    def __init__(self, text: str) -> None:
        self.exact: dict[str, int] = {}
        self.classes: dict[str, int] = {}
        self.codes: dict[str, str] = {}  # state or class → code the row documents
        self.from_hint: set[str] = set()  # rows whose code is taken from the HINT
        self.problems: list[str] = []
        for state_cell, _condition, http, code_cell in self._rows(text):
            exact = re.fullmatch(r"`([0-9A-Z]{5})`", state_cell)
            klass = re.fullmatch(r"class `([0-9A-Z]{2})`", state_cell)
            target = self.exact if exact else self.classes if klass else None
            if target is None:
                self.problems.append(f"unreadable SQLSTATE cell {state_cell!r}")
                continue
            key = (exact or klass).group(1)  # type: ignore[union-attr]
            if key in target:
                self.problems.append(f"{key} is listed twice")
            target[key] = int(http)
            codes = re.findall(r"`([a-z_]+)`", code_cell)
            if not codes:
                self.problems.append(f"{key}: no code in {code_cell!r}")
                continue
            self.codes[key] = codes[-1]
            if "hint" in code_cell:
                self.from_hint.add(key)

    @staticmethod
    def _rows(text: str) -> list[list[str]]:
        if HEADING not in text:
            return []
        rows: list[list[str]] = []
        for line in text.split(HEADING, 1)[1].splitlines():
            if not line.startswith("|"):
                if rows:
                    break
                continue
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if cells[0] == "SQLSTATE" or set(cells[0]) <= {"-"}:
                continue
            rows.append(cells)
        return rows

    def status_for(self, state: str) -> int:
        return self.exact.get(state) or self.classes.get(state[:2]) or 500


def mismatches(contract: Contract) -> list[str]:
    """Everything on which the page and api/errors.py disagree."""
    problems = list(contract.problems)
    if contract.exact != SQLSTATE_STATUS:
        problems.append(f"exact states: page {contract.exact} != code {SQLSTATE_STATUS}")
    if contract.classes != SQLSTATE_CLASS_STATUS:
        problems.append(f"classes: page {contract.classes} != code {SQLSTATE_CLASS_STATUS}")
    for state, status in SQLSTATE_STATUS.items():
        expected = SQLSTATE_CODES.get(state) or DEFAULT_CODES[status]
        if contract.codes.get(state) != expected:
            problems.append(f"{state}: page says code {contract.codes.get(state)}, not {expected}")
        if (state in contract.from_hint) != state.startswith("BR"):
            problems.append(f"{state}: only BR states take their code from the hint")
    for klass, status in SQLSTATE_CLASS_STATUS.items():
        if contract.codes.get(klass) != DEFAULT_CODES[status]:
            problems.append(f"class {klass}: code {contract.codes.get(klass)}")
    problems += [
        f"SQLSTATE_CODES has {state}, which is not in the table"
        for state in SQLSTATE_CODES
        if state not in contract.exact
    ]
    return problems


def raise_problems(path: Path, text: str, contract: Contract) -> list[str]:
    """Each `raise exception` names a documented SQLSTATE; ours carry a snake_case hint."""
    problems = []
    for match in RAISE.finditer(text):
        body = match.group("body")
        line = text.count("\n", 0, match.start()) + 1
        where = f"{path.relative_to(ROOT) if path.is_absolute() else path}:{line}"
        state = re.search(r"errcode\s*=\s*'([^']*)'", body, re.I)
        if not state:
            problems.append(f"{where}: raise without errcode (P0001 answers 500)")
            continue
        if contract.status_for(state.group(1)) == 500:
            problems.append(f"{where}: {state.group(1)} is not in sql/README.md")
        hint = re.search(r"hint\s*=\s*'([^']*)'", body, re.I)
        if state.group(1).startswith("BR") and not (hint and SNAKE.fullmatch(hint.group(1))):
            problems.append(f"{where}: {state.group(1)} without a literal snake_case hint")
    return problems


def readme_example() -> tuple[str, str, str, str]:
    """(statement, errcode, message, hint) of the ```sql example in sql/README.md."""
    block = re.search(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert block, "sql/README.md has no ```sql example"
    statement = block.group(1).strip()
    fields = dict(re.findall(r"(\w+) = '([^']*)'", statement))
    return statement, fields["errcode"], fields["message"], fields["hint"]


def raised(conn: psycopg.Connection, statement: str) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(statement)
    return caught.value


# --- the page against the code -------------------------------------------------------------


def test_readme_table_is_the_mapping_of_api_errors():
    contract = Contract(README.read_text(encoding="utf-8"))
    assert len(contract.exact) + len(contract.classes) > 20, "the table was not found"
    assert mismatches(contract) == []


@pytest.mark.parametrize(
    ("edit", "old", "new"),
    [
        ("a status changed", "| `23505` | unique_violation | 409 |", "| `23505` | x | 422 |"),
        ("a code changed", "| 503 | `timeout` |", "| 503 | `try_again` |"),
        ("a row dropped", "| `25006` |", "| not a state |"),
        ("a class changed", "| class `53` |", "| class `54` |"),
        ("a BR code without the hint", "the hint, else `conflict`", "`conflict`"),
        ("a row twice", "| `P0002` |", "| `42501` |"),
    ],
)
def test_a_drifted_table_is_caught(edit, old, new):
    text = README.read_text(encoding="utf-8")
    assert old in text, f"negative control is stale: {old!r}"
    assert mismatches(Contract(text.replace(old, new, 1))), edit


def test_sql_files_raise_only_documented_states():
    contract = Contract(README.read_text(encoding="utf-8"))
    files = sorted((ROOT / "sql").rglob("*.sql"))
    assert files
    problems = [p for f in files for p in raise_problems(f, f.read_text("utf-8"), contract)]
    assert problems == []


@pytest.mark.parametrize(
    "statement",
    [
        "raise exception 'plain text';",
        "raise exception using errcode = 'BR418', message = 'x', hint = 'teapot';",
        "raise exception using errcode = 'BR409', message = 'no hint';",
        "raise exception using errcode = 'BR409', message = 'x', hint = 'Not Snake';",
        "raise exception using errcode = 'XX000', message = 'internal';",
    ],
)
def test_the_raise_scanner_refuses(statement):
    contract = Contract(README.read_text(encoding="utf-8"))
    text = f"begin\n    {statement}\nend;\n"
    assert raise_problems(Path("example.sql"), text, contract)


# --- what the page promises, against real database errors --------------------------------


def test_the_documented_example_answers_as_documented(admin):
    statement, errcode, message, hint = readme_example()
    exc = raised(admin, f"do $$ begin {statement} end $$")
    assert exc.sqlstate == errcode
    problem = problem_for_database(exc)
    assert problem.status == SQLSTATE_STATUS[errcode] == int(errcode[2:])
    assert problem.code == hint
    assert problem.detail == message


def test_a_hint_that_is_not_a_code_falls_back_to_the_status_code(admin):
    exc = raised(
        admin,
        "do $$ begin raise exception using errcode = 'BR409', message = 'm', "
        "hint = 'Try again later.'; end $$",
    )
    problem = problem_for_database(exc)
    assert (problem.status, problem.code) == (409, "conflict")


def test_a_raise_without_errcode_is_a_500(admin):
    problem = problem_for_database(raised(admin, "do $$ begin raise exception 'oops'; end $$"))
    assert (problem.status, problem.code) == (500, "internal_error")
    assert "oops" not in problem.detail


@pytest.mark.parametrize(
    ("statement", "status", "code"),
    [
        ("select 'x'::integer", 422, "validation_failed"),  # class 22
        ("select 1 / 0", 422, "validation_failed"),  # 22012, class 22
        # 21000 (more than one row from a subquery): not in the table, so a 500.
        ("select (select 1 union select 2)", 500, "internal_error"),
    ],
)
def test_real_errors_map_through_the_table(admin, statement, status, code):
    exc = raised(admin, statement)
    contract = Contract(README.read_text(encoding="utf-8"))
    problem = problem_for_database(exc)
    assert problem.status == status == contract.status_for(exc.sqlstate or "")
    assert problem.code == code
