"""The rpc whitelist, the pgTAP surface test and the database agree on the api functions."""

import re

from conftest import ROOT

from api.rpc import API_FUNCTIONS


def test_pgtap_surface_lists_exactly_the_rpc_whitelist():
    text = (ROOT / "tests/sql/structure/api_surface.test.sql").read_text()
    listed = set(re.findall(r"'([a-z_]+)'", text.split("array[")[1].split("]")[0]))
    assert listed == set(API_FUNCTIONS)


def test_every_whitelisted_function_exists_and_nothing_else(admin):
    rows = admin.execute(
        "select distinct proname from pg_proc where pronamespace = 'api'::regnamespace"
    ).fetchall()
    assert {name for (name,) in rows} == set(API_FUNCTIONS)
