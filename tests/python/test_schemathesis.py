"""Schemathesis against the server's own `/openapi.json`, with a valid API key.

Every operation the document lists is called with generated requests (boundary and invalid
values, random data, then stateful sequences that feed ids from one answer into the next). Each answer must be neither a 5xx nor outside what the document promises: a
documented status code, its content type, its declared headers and its body schema.

Generated ids rarely hit a real record, so a company with a connection, source accounts, a push
operation, a webhook endpoint and its deliveries exist before the run, and their ids are offered
to schemathesis as dictionaries for the path parameters, so that many generated requests reach a
real record and the rest its 404. Webhook URLs are pinned to a closed loopback port so that
nothing generated makes the server resolve or call another address.

The run is bounded (examples per operation, a fixed seed, one worker) so that it costs well under
two minutes per backend; `SCHEMATHESIS_SEED`, `SCHEMATHESIS_MAX_EXAMPLES` and
`SCHEMATHESIS_TIMEOUT_S` widen it for a local exploration.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import FeedbridgeServer, RawApi, basic, create_api_key, unique
from support.schemathesis_run import (
    RUN_TIMEOUT_S, run_schemathesis, schemathesis_config, toml_list,
)

# Nothing listens on the discard port of the loopback address: deliveries simply fail.
WEBHOOK_URL = "http://127.0.0.1:9/hooks"

# How often a path parameter takes a seeded id: a connection is found only when its company is too.
HIT = {"companyId": 0.8, "connectionId": 0.8}

ACCOUNTS = "/companies/{c}/connections/{n}/connectionInfo/bankFeedAccounts"


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory):
    """A server of its own: schemathesis creates and deletes at will, and makes more requests in a
    minute than the default rate limit allows."""
    data_dir = tmp_path_factory.mktemp("schemathesis") / "data"
    data_dir.mkdir()
    env = {"FEEDBRIDGE_LIMITS_REQUESTS_PER_MINUTE": "1000000"}
    key = create_api_key("Schemathesis", data_dir, env=env)
    server = FeedbridgeServer(data_dir, env=env).start()
    yield server, key
    server.stop()


def seed(raw: RawApi) -> dict[str, list[str]]:
    """Records for generated requests to find, grouped by the path parameter that names them."""
    def ok(resp) -> None:
        assert resp.status_code < 300, f"seeding failed: {resp.request.url}: {resp.text}"

    endpoint = raw.post("/webhooks/endpoints", json={"url": WEBHOOK_URL, "description": "seed"})
    ok(endpoint)
    ids: dict[str, list[str]] = {"companyId": [], "connectionId": [], "accountId": [],
                                 "pushOperationKey": [], "endpointId": [endpoint.json()["id"]]}
    for _ in range(2):
        company = raw.post("/companies", json={"name": f"Seed {unique()}"})
        ok(company)
        c = company.json()["id"]
        conn = raw.post(f"/companies/{c}/connections", json={"platformKey": "hcws"})
        ok(conn)
        n = conn.json()["id"]
        for _ in range(2):
            account = f"acc-{unique()}"
            ok(raw.post(ACCOUNTS.format(c=c, n=n), json={
                "id": account, "accountName": "Checking", "accountType": "checking",
                "accountNumber": "000123", "currency": "USD", "balance": 10.5}))
            ids["accountId"].append(account)
        pushed = raw.post(f"/companies/{c}/connections/{n}/push/bankAccounts/{account}"
                          "/bankTransactions",
                          json={"accountId": account, "transactions": [
                              {"id": unique(), "amount": 1.25, "date": "2024-01-02T00:00:00",
                               "description": "Seed", "transactionType": "Credit"}]})
        ok(pushed)
        ids["companyId"].append(c)
        ids["connectionId"].append(n)
        ids["pushOperationKey"].append(pushed.json()["pushOperationKey"])
    deliveries = raw.get("/webhooks/deliveries").json()["results"]
    ids["deliveryId"] = [d["id"] for d in deliveries][:4]
    return ids


def config(key: str, ids: dict[str, list[str]], report: Path) -> str:
    """schemathesis.toml for the run: the seeded ids as dictionaries for the path parameters."""
    return schemathesis_config(
        basic(key), report, 30,
        # Links inferred from URLs in answers (`_links`, `linkUrl`, `redirect`) come out invalid in
        # this schemathesis (company parameters set on webhook operations); the links found by
        # analysing the schemas are enough to chain companies, connections and accounts.
        "[phases.stateful.inference]",
        'algorithms = ["dependency-analysis"]',
        "[dictionaries.webhook-url]",
        f"values = {toml_list([WEBHOOK_URL])}",
        *[line for name, values in ids.items() if values
          for line in (f"[dictionaries.{name}]", f"values = {toml_list(values)}")],
        "[parameters]",
        '"body.url" = { dictionary = "webhook-url", probability = 1.0 }',
        *[f'"path.{name}" = {{ dictionary = "{name}", probability = {HIT.get(name, 0.5)} }}'
          for name, values in ids.items() if values],
    )


@pytest.mark.timeout(RUN_TIMEOUT_S + 60)
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(fuzzed, tmp_path):
    server, key = fuzzed
    raw = RawApi(server.base_url, key)
    ids = seed(raw)
    raw.close()
    report = tmp_path / "report.json"
    summary, output = run_schemathesis(
        server, "/openapi.json", config(key, ids, report), report)
    assert summary["operations"]["tested"] == summary["operations"]["total"] > 0, output
    assert summary["phases"]["stateful"]["status"] == "success", output
