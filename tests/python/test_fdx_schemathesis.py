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
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import FeedbridgeServer, create_api_key
from support.fdx import Fdx, consent
from support.ofx import linkable
from support.oidc import register

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "ignored_auth",
    "unsupported_method",
]
RUN_TIMEOUT_S = int(os.environ.get("SCHEMATHESIS_TIMEOUT_S", "240"))


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
    lines = [
        f"seed = {int(os.environ.get('SCHEMATHESIS_SEED', '20240101'))}",
        "workers = 1",
        "continue-on-failure = true",
        "color = false",
        f"headers = {{ Authorization = {json.dumps('Bearer ' + token)} }}",
        "[generation]",
        f"max-examples = {int(os.environ.get('SCHEMATHESIS_MAX_EXAMPLES', '40'))}",
        "[checks]",
        "enabled = false",
        *[f"{name}.enabled = true" for name in CHECKS],
        "[phases.stateful]",
        "enabled = false",
        "[reports.json]",
        "enabled = true",
        f"path = {json.dumps(str(report))}",
        "[dictionaries.accountId]",
        'values = ["chk1", "card1"]',
        "[dictionaries.consentId]",
        f"values = [{json.dumps(consent_id)}]",
        "[parameters]",
        '"path.accountId" = { dictionary = "accountId", probability = 0.7 }',
        '"path.consentId" = { dictionary = "consentId", probability = 0.7 }',
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.timeout(RUN_TIMEOUT_S + 60)
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_fdx_document(
        granted, tmp_path):
    server, grant = granted
    report = tmp_path / "report.json"
    config_file = tmp_path / "schemathesis.toml"
    config_file.write_text(config(grant.access_token, grant.consent_id, report))
    st = Path(sys.executable).with_name("st")
    proc = subprocess.run(
        [str(st), "--config-file", str(config_file), "run", "--exclude-method", "PUT",
         f"{server.base_url}/fdx/v6/openapi.json"],
        capture_output=True, text=True, timeout=RUN_TIMEOUT_S, cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1"},
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output + "\nserver stderr:\n" + server.stderr_tail()
    assert server.alive(), server.stderr_tail()
    summary = json.loads(report.read_text())
    assert summary["operations"]["tested"] == summary["operations"]["total"] - 1 >= 6, output
    assert Fdx(server, grant.access_token).get("/accounts").status_code == 200, \
        "the token still works: nothing generated ended the consent"
