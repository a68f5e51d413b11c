"""Two `feedbridge serve` processes on one PostgreSQL database, as behind a load balancer.

Client API, push and OFX traffic is spread over both instances, every push is sent twice (once to
each instance), and then: every pushed transaction is stored exactly once (the statement lists each
FITID once) and every webhook event is delivered exactly once, whichever instance's worker sent it.
Runs in the PostgreSQL pass of scripts/test-all.
"""

from __future__ import annotations

import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
from ofxtools.Parser import OFXTree

from support import PG_SERVER, FeedbridgeServer, RawApi, Receiver, backend_env, create_api_key
from support.ofx import post_ofx_body, sgml_statement_request

pytestmark = pytest.mark.skipif(
    not PG_SERVER, reason="two instances share a PostgreSQL database: runs in the PostgreSQL pass")

ACCOUNTS = ("chk-1", "chk-2")
BATCHES = 6
PER_BATCH = 5


def statement(server: FeedbridgeServer, creds: dict, account: str, n: int):
    start = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y%m%d")
    body = sgml_statement_request(creds["username"], creds["password"], account, f"T{n}",
                                  start=start)
    tree = OFXTree()
    tree.parse(io.BytesIO(post_ofx_body(server.base_url, body.encode())))
    (stmt,) = tree.convert().statements
    return stmt


def test_two_instances_share_one_database(tmp_path):
    dir_a, dir_b = tmp_path / "a", tmp_path / "b"
    env = {**backend_env(dir_a), "FEEDBRIDGE_FEED_AUTHENTICATION_PROMPT": "false"}
    key = create_api_key("Twins", dir_a, env=env)
    a = FeedbridgeServer(dir_a, env=env).start()
    b = FeedbridgeServer(dir_b, env=env).start()
    receiver = Receiver()
    try:
        ra, rb = RawApi(a.base_url, key), RawApi(b.base_url, key)
        assert ra.post("/webhooks/endpoints", json={"url": receiver.url}).status_code == 200
        company = rb.post("/companies", json={"name": "Twin Bakery"}).json()["id"]
        conn = ra.post(f"/companies/{company}/connections", json={"platformKey": "hcws"}).json()["id"]
        base = f"/companies/{company}/connections/{conn}"
        batch = rb.post(f"{base}/connectionInfo/bankFeedAccounts/batch", json=[
            {"id": acc, "accountName": f"Account {acc}", "accountType": "checking",
             "accountNumber": "0001234", "currency": "USD", "balance": 100.00}
            for acc in ACCOUNTS])
        assert batch.status_code == 201, batch.text
        creds = ra.post(f"{base}/connectionInfo/bankFeedAccounts/credentials", json={}).json()
        statement(b, creds, "chk-1", 1)
        statement(a, creds, "chk-2", 2)
        listed = {x["id"]: x["status"] for x in
                  rb.get(f"{base}/connectionInfo/bankFeedAccounts").json()}
        assert listed == {acc: "connected" for acc in ACCOUNTS}

        day = datetime.now(timezone.utc).date().isoformat()

        def push(job):
            account, i = job
            txs = [{"id": f"{account}-{i}-{j}", "date": f"{day}T00:{i:02d}:{j:02d}",
                    "description": f"Sale {i}.{j}", "amount": 10.25, "transactionType": "Credit"}
                   for j in range(PER_BATCH)]
            path = f"{base}/push/bankAccounts/{account}/bankTransactions"
            keys = []
            for api in ((ra, rb) if i % 2 else (rb, ra)):
                r = api.post(path, json={"accountId": account, "transactions": txs})
                assert r.status_code == 200, r.text
                assert r.json()["status"] == "Success", r.text
                keys.append(r.json()["pushOperationKey"])
            return keys

        jobs = [(acc, i) for i in range(BATCHES) for acc in ACCOUNTS]
        with ThreadPoolExecutor(max_workers=4) as pool:
            op_keys = [k for keys in pool.map(push, jobs) for k in keys]

        for n, (server, account) in enumerate(((a, "chk-1"), (b, "chk-2")), start=10):
            fitids = [t.fitid for t in statement(server, creds, account, n).transactions]
            assert len(fitids) == len(set(fitids)), "a transaction was stored twice"
            assert set(fitids) == {f"{account}-{i}-{j}" for i in range(BATCHES)
                                   for j in range(PER_BATCH)}

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            writes = [json.loads(body) for _, body in receiver.for_company(company)
                      if json.loads(body)["eventType"].startswith("bankTransactions.write")]
            if {w["payload"]["id"] for w in writes} >= set(op_keys):
                break
            time.sleep(0.2)
        time.sleep(1.5)  # a duplicate sent late by the other instance would arrive by now
        delivered = receiver.for_company(company)
        ids = [headers["webhook-id"] for headers, _ in delivered]
        assert len(ids) == len(set(ids)), "an event was delivered twice"
        write_keys = [json.loads(body)["payload"]["id"] for _, body in delivered
                      if json.loads(body)["eventType"].startswith("bankTransactions.write")]
        assert sorted(write_keys) == sorted(op_keys)
        types = {json.loads(body)["eventType"] for _, body in delivered}
        assert {"connection.created", "connection.connected",
                "bankFeeds.sourceAccount.connected"} <= types
    finally:
        receiver.close()
        a.stop()
        b.stop()


def test_any_instance_answers_any_step_of_a_sign_in(tmp_path):
    """Authorization on one instance, sign-in and consent on the other, the token exchange back
    on the first, the ID token verified against the other's JWKS, and FDX read on both: requests,
    consents, codes and signing keys all live in the shared database."""
    import requests
    from authlib.common.security import generate_token
    from authlib.jose import JsonWebKey, jwt

    from support.fdx import Fdx
    from support.oidc import Browser, callback, client, discovery, register

    dir_a, dir_b = tmp_path / "a", tmp_path / "b"
    # One public address for both, as behind a load balancer; each is reached at its own here.
    public = "http://127.0.0.1:9"
    env = {**backend_env(dir_a), "FEEDBRIDGE_PUBLIC_URL": public}
    key = create_api_key("Twins", dir_a, env=env)
    a = FeedbridgeServer(dir_a, env=env).start()
    b = FeedbridgeServer(dir_b, env=env).start()
    try:
        recipient = register(a)
        api = RawApi(b.base_url, key)
        company = api.post("/companies", json={"name": "Twin Bakery"}).json()["id"]
        conn = api.post(f"/companies/{company}/connections", json={"platformKey": "hcws"}).json()["id"]
        base = f"/companies/{company}/connections/{conn}"
        assert api.post(f"{base}/connectionInfo/bankFeedAccounts", json={
            "id": "chk-1", "accountName": "Chequing", "accountType": "checking",
            "accountNumber": "0001234", "currency": "USD", "balance": 100.0}).status_code == 200
        creds = api.post(f"{base}/connectionInfo/bankFeedAccounts/credentials", json={}).json()
        code = api.post(f"{base}/bankFeeds/otp").json()["otp"]

        c = client(a, recipient)
        verifier, nonce = generate_token(48), generate_token(16)
        config = discovery(a)
        assert config["issuer"] == public
        url, state = c.create_authorization_url(config["authorization_endpoint"],
                                                code_verifier=verifier, nonce=nonce)
        browser = Browser(a)
        page = browser.get(url.replace(public, a.base_url))
        assert page.status_code == 303
        browser.base = b.base_url  # the load balancer sends the next requests to the other one
        page = browser.open("/oauth2/sign-in")
        page = browser.submit(page, "/oauth2/sign-in", username=creds["username"],
                              password=creds["password"])
        page = browser.submit(page, "/oauth2/confirm", code=code)
        back = browser.consent(page, "allow")
        assert callback(back)["state"] == state
        tokens = c.fetch_token(f"{a.base_url}/oauth2/token",
                               authorization_response=back.headers["location"],
                               code_verifier=verifier, state=state)
        # Both sign and verify with the keys in the database.
        jwks_a = requests.get(f"{a.base_url}/oauth2/jwks", timeout=10).json()
        jwks_b = requests.get(f"{b.base_url}/oauth2/jwks", timeout=10).json()
        assert jwks_a == jwks_b and jwks_a["keys"]
        claims = jwt.decode(tokens["id_token"], JsonWebKey.import_key_set(jwks_b))
        assert claims["iss"] == public and claims["nonce"] == nonce
        for server in (a, b):
            res = Fdx(server, tokens["access_token"]).get("/accounts")
            assert res.status_code == 200, res.text
            assert res.json()["accounts"][0]["accountId"] == "chk-1"
        renewed = c.refresh_token(f"{b.base_url}/oauth2/token",
                                  refresh_token=tokens["refresh_token"])
        assert Fdx(a, renewed["access_token"]).get("/accounts").status_code == 200
    finally:
        a.stop()
        b.stop()
