"""Schemathesis against the server's own `/fdx/v6/openapi.json`, with a real access token.

A connection with two accounts is consented through the hosted sign-in first, and its account
and consent ids are offered to schemathesis for the path parameters, so generated requests reach
real accounts as well as unknown ones. Every answer must be neither a 5xx nor outside what the
document promises (status code, content type, declared headers, body schema); calls without the
token must be refused. The consent's revocation (`PUT`) is left out: a generated one would end
the token and leave nothing but 401s to check; test_fdx.py covers it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import FeedbridgeServer, create_api_key
from support.fdx import Fdx, consent
from support.ofx import linkable
from support.oidc import register
from support.schemathesis_run import RUN_TIMEOUT_S, run_schemathesis, schemathesis_config


@pytest.fixture(scope="module")
def granted(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fdx-schemathesis") / "data"
    data_dir.mkdir()
    key = create_api_key("Schemathesis", data_dir)
    server = FeedbridgeServer(data_dir).start()
    server.key = key  # type: ignore[attr-defined]
    acc = linkable(server, accounts=("chk1", "card1"), numbers=["000111222333", "4532000012349876"])
    grant = consent(server, register(server), acc)
    api = Fdx(server, grant.access_token)
    assert api.get("/accounts/chk1/transactions").status_code == 200
    yield server, grant
    server.stop()


def config(token: str, consent_id: str, report: Path) -> str:
    """schemathesis.toml for the run: the consented account and consent ids as dictionaries."""
    return schemathesis_config(
        "Bearer " + token, report, 40,
        "[phases.stateful]",
        "enabled = false",
        "[dictionaries.accountId]",
        'values = ["chk1", "card1"]',
        "[dictionaries.consentId]",
        f"values = [{json.dumps(consent_id)}]",
        "[parameters]",
        '"path.accountId" = { dictionary = "accountId", probability = 0.7 }',
        '"path.consentId" = { dictionary = "consentId", probability = 0.7 }',
    )


@pytest.mark.timeout(RUN_TIMEOUT_S + 60)
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_fdx_document(
        granted, tmp_path):
    server, grant = granted
    report = tmp_path / "report.json"
    summary, output = run_schemathesis(
        server, "/fdx/v6/openapi.json", config(grant.access_token, grant.consent_id, report),
        report, "--exclude-method", "PUT")
    assert summary["operations"]["tested"] == summary["operations"]["total"] - 1 >= 6, output
    assert Fdx(server, grant.access_token).get("/accounts").status_code == 200, \
        "the token still works: nothing generated ended the consent"
