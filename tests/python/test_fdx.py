"""FDX 6 read by real clients: authlib for the tokens, plain requests and the APIMatic FDX SDK
(`fdx-api-sdk-python`) for `/fdx/v6`. Accounts and balances, transactions by window and page,
the first pull connecting an account (with the institution's webhooks), every route refusing
another connection's accounts, the Consent API, and a token refused at once when its grant ends.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from types import SimpleNamespace

import pytest
import requests

from support import FeedbridgeServer, RawApi, Receiver, create_api_key
from support.fdx import Fdx, consent, fdx_error, interaction_id, sdk
from support.ofx import linkable, parse_both, post_ofx_body, sgml_statement_request, today_utc
from support.oidc import register


@pytest.fixture(scope="module")
def fdx(tmp_path_factory):
    """A server with a recipient, and a webhook endpoint recording the institution's events."""
    data_dir = tmp_path_factory.mktemp("fdx") / "data"
    data_dir.mkdir()
    key = create_api_key("Bank", data_dir)
    server = FeedbridgeServer(data_dir).start()
    server.key = key  # type: ignore[attr-defined]
    receiver = Receiver()
    raw = RawApi(server.base_url, key)
    hook = raw.post("/webhooks/endpoints", json={"url": receiver.url})
    assert hook.status_code == 200, hook.text
    yield SimpleNamespace(server=server, recipient=register(server), receiver=receiver)
    receiver.close()
    server.stop()


def accounts_of(server):
    """A connection with a checking account and a card, each with its own number."""
    return linkable(server, accounts=("chk1", "card1"), numbers=["000111222333", "4532000012349876"])


def push(acc, account: str, transactions: list[dict]) -> None:
    res = acc["raw"].post(f"{acc['base']}/push/bankAccounts/{account}/bankTransactions",
                          json={"accountId": account, "transactions": transactions})
    assert res.status_code == 200 and res.json()["status"] == "Success", res.text


def tx(id_: str, day: datetime.date, amount: str, balance: str = None, hour: int = 9) -> dict:
    t = {"id": id_, "date": f"{day.isoformat()}T{hour:02d}:00:00", "description": f"Payment {id_}",
         "amount": json.loads(amount), "transactionType": "Unknown"}
    if balance is not None:
        t["balance"] = json.loads(balance)
    return t


def test_accounts_and_balances_in_flat_fdx_6_shapes(fdx):
    acc = accounts_of(fdx.server)
    grant = consent(fdx.server, fdx.recipient, acc)
    api = Fdx(fdx.server, grant.access_token)
    listed = api.get("/accounts")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["page"]["totalElements"] == 2 and "nextPageKey" not in body["page"]
    by_id = {a["accountId"]: a for a in body["accounts"]}
    assert by_id["chk1"]["accountCategory"] == "DEPOSIT_ACCOUNT"
    assert by_id["chk1"]["accountType"] == "CHECKING"
    assert by_id["chk1"]["accountNumberDisplay"].endswith("2333")
    assert "000111222333" not in listed.text, "the full number never leaves"
    assert by_id["chk1"]["currency"] == {"currencyCode": "USD"}
    detail = api.get("/accounts/chk1").json()
    assert Decimal(str(detail["currentBalance"])) == Decimal("1500.25")
    assert Decimal(str(detail["availableBalance"])) == Decimal("1500.25")
    assert detail["balanceAsOf"].endswith("Z")
    assert api.get("/customers/current").json()["customerId"]

    page = api.get("/accounts", limit="1").json()
    assert len(page["accounts"]) == 1
    assert page["page"]["nextPageKey"] == page["page"]["nextOffset"] == "1"
    rest = api.get("/accounts", pageKey="1").json()
    assert [a["accountId"] for a in page["accounts"] + rest["accounts"]] == ["chk1", "card1"]


def test_the_fdx_sdk_reads_accounts_and_pages_transactions(fdx):
    acc = accounts_of(fdx.server)
    today = today_utc()
    grant = consent(fdx.server, fdx.recipient, acc)
    client = sdk(fdx.server, grant.access_token)
    client.account_transactions.search_for_account_transactions(
        interaction_id(), "chk1", start_time=today - datetime.timedelta(days=3), end_time=today)
    push(acc, "chk1", [tx(f"t{i:03d}", today, f"-{i}.05", hour=8 + i % 10) for i in range(1, 151)])

    accounts = client.account_information.search_for_accounts(interaction_id())
    assert accounts.status_code == 200
    assert {a.account_id for a in accounts.body.accounts} == {"chk1", "card1"}
    one = client.account_information.get_account(interaction_id(), "chk1")
    assert one.status_code == 200 and one.body.account_id == "chk1"

    ids, offset = [], None
    while True:
        page = client.account_transactions.search_for_account_transactions(
            interaction_id(), "chk1", start_time=today, end_time=today, offset=offset, limit=100)
        assert page.status_code == 200, page.text
        body = json.loads(page.text)
        ids += [t["transactionId"] for t in body["transactions"]]
        offset = body["page"].get("nextOffset")
        if offset is None:
            break
    assert len(ids) == 150 and len(set(ids)) == 150
    assert set(ids) == {f"t{i:03d}" for i in range(1, 151)}


def test_transactions_are_posted_with_absolute_amounts_and_both_date_styles(fdx):
    acc = accounts_of(fdx.server)
    today = today_utc()
    grant = consent(fdx.server, fdx.recipient, acc)
    api = Fdx(fdx.server, grant.access_token)
    first = api.get("/accounts/chk1/transactions")
    assert first.status_code == 200 and first.json()["transactions"] == []
    push(acc, "chk1", [tx("out", today, "-42.10", "1458.15"), tx("in", today, "100", "1558.15", 10)])
    for params in [{}, {"startDate": today.isoformat(), "endDate": today.isoformat()},
                   {"startTime": today.isoformat(), "endTime": today.isoformat()}]:
        listed = api.get("/accounts/chk1/transactions", **params).json()["transactions"]
        by_id = {t["transactionId"]: t for t in listed}
        assert set(by_id) == {"out", "in"}, params
        assert by_id["out"]["debitCreditMemo"] == "DEBIT"
        assert Decimal(str(by_id["out"]["amount"])) == Decimal("42.10")
        assert by_id["in"]["debitCreditMemo"] == "CREDIT" and by_id["in"]["status"] == "POSTED"
        assert by_id["in"]["transactionTimestamp"].startswith(today.isoformat())
    assert Decimal(str(api.get("/accounts/chk1").json()["currentBalance"])) == Decimal("1558.15")


def test_windows_refuse_bad_dates_ranges_and_paging_with_fdx_codes(fdx):
    acc = accounts_of(fdx.server)
    api = Fdx(fdx.server, consent(fdx.server, fdx.recipient, acc).access_token)
    path = "/accounts/chk1/transactions"
    today = today_utc().isoformat()
    fdx_error(api.get(path, startTime=today), 400, 703)
    fdx_error(api.get(path, endDate=today), 400, 703)
    fdx_error(api.get(path, startDate="2026-12-31", endDate="2026-01-01"), 400, 703)
    fdx_error(api.get(path, startDate="yesterday", endDate=today), 400, 702)
    fdx_error(api.get(path, limit="0"), 400, 401)
    fdx_error(api.get(path, limit="ten"), 400, 401)
    fdx_error(api.get(path, pageKey="-1"), 400, 401)
    assert api.get(path, limit="1000").status_code == 200, "a larger limit is lowered to 100"


def test_the_first_request_connects_the_account_and_tells_the_institution(fdx):
    acc = accounts_of(fdx.server)
    api = Fdx(fdx.server, consent(fdx.server, fdx.recipient, acc).access_token)
    before = {a["id"]: a for a in acc["raw"].get(
        f"{acc['base']}/connectionInfo/bankFeedAccounts").json()}
    assert before["chk1"]["status"] == "pending"
    start = (today_utc() - datetime.timedelta(days=30)).isoformat()
    assert api.get("/accounts/chk1/transactions", startDate=start,
                   endDate=today_utc().isoformat()).status_code == 200
    after = {a["id"]: a for a in acc["raw"].get(
        f"{acc['base']}/connectionInfo/bankFeedAccounts").json()}
    assert after["chk1"]["status"] == "connected"
    assert after["chk1"]["feedStartDate"].startswith(
        (today_utc() - datetime.timedelta(days=7)).isoformat()), "clamped to seven days"
    assert after["card1"]["status"] == "pending", "only the account read connects"
    assert acc["raw"].get(acc["base"]).json()["status"] == "Linked"
    fdx.receiver.wait_for(acc["company"], {"connection.connected",
                                           "bankFeeds.sourceAccount.connected"})


def test_a_token_never_reaches_another_connections_accounts(fdx):
    mine = accounts_of(fdx.server)
    theirs = linkable(fdx.server, accounts=("their-chk",))
    partial = consent(fdx.server, fdx.recipient, mine, accounts=["chk1"])
    api = Fdx(fdx.server, partial.access_token)
    assert [a["accountId"] for a in api.get("/accounts").json()["accounts"]] == ["chk1"]
    for account in ["their-chk", "card1", "nope"]:
        fdx_error(api.get(f"/accounts/{account}"), 404, 701)
        fdx_error(api.get(f"/accounts/{account}/transactions"), 404, 701)
    other = consent(fdx.server, fdx.recipient, theirs)
    for res in [api.get(f"/consents/{other.consent_id}"),
                api.get(f"/consents/{other.consent_id}/revocation"),
                api.put(f"/consents/{other.consent_id}/revocation",
                        {"reason": "USER_ACTION", "initiator": "DATA_RECIPIENT"})]:
        fdx_error(res, 404, 1107)
    assert Fdx(fdx.server, other.access_token).get("/accounts/their-chk").status_code == 200


def test_the_consent_api_shows_revokes_and_records_the_revocation(fdx):
    acc = accounts_of(fdx.server)
    grant = consent(fdx.server, fdx.recipient, acc)
    api = Fdx(fdx.server, grant.access_token)
    api.get("/accounts/chk1/transactions")
    shown = api.get(f"/consents/{grant.consent_id}").json()
    assert shown["status"] == "ACTIVE" and shown["id"] == grant.consent_id
    assert {p["type"] for p in shown["parties"]} == {"DATA_RECIPIENT", "DATA_PROVIDER"}
    assert {r["resourceId"] for r in shown["resources"]} == {"chk1", "card1"}
    assert shown["durationPeriod"] == 365
    assert api.get(f"/consents/{grant.consent_id}/revocation").json() == {"revocations": []}

    bad = api.put(f"/consents/{grant.consent_id}/revocation", {"reason": "BORED", "initiator": "X"})
    fdx_error(bad, 400, 401)
    done = api.put(f"/consents/{grant.consent_id}/revocation",
                   {"reason": "USER_ACTION", "initiator": "DATA_RECIPIENT"})
    assert done.status_code == 204, done.text
    fdx_error(api.get("/accounts"), 401, 602)
    assert api.get("/accounts").headers["www-authenticate"].startswith("Bearer")

    # The recipient still reads how it ended, with its client credentials.
    auth = (fdx.recipient.client_id, fdx.recipient.client_secret)
    base = f"{fdx.server.base_url}/fdx/v6/consents/{grant.consent_id}"
    ended = requests.get(base, auth=auth, timeout=10).json()
    assert ended["status"] == "REVOKED"
    revocations = requests.get(f"{base}/revocation", auth=auth, timeout=10).json()["revocations"]
    assert [(r["reason"], r["initiator"]) for r in revocations] == [("USER_ACTION", "DATA_RECIPIENT")]
    states = {a["id"]: a["status"] for a in acc["raw"].get(
        f"{acc['base']}/connectionInfo/bankFeedAccounts").json()}
    assert states["chk1"] == "disconnected"
    assert acc["raw"].get(acc["base"]).json()["status"] == "Unlinked"
    fdx.receiver.wait_for(acc["company"], {"bankFeeds.sourceAccount.disconnected",
                                           "connection.disconnected"})
    wrong = requests.get(base, auth=(fdx.recipient.client_id, "fbr_wrong"), timeout=10)
    fdx_error(wrong, 401, 602)


@pytest.mark.parametrize("ending", ["credentials revoked", "connection unlinked"])
def test_ending_the_grant_at_the_institution_refuses_tokens_at_once(fdx, ending):
    acc = accounts_of(fdx.server)
    api = Fdx(fdx.server, consent(fdx.server, fdx.recipient, acc).access_token)
    assert api.get("/accounts/chk1/transactions").status_code == 200
    if ending == "credentials revoked":
        res = acc["raw"].delete(f"{acc['base']}/connectionInfo/bankFeedAccounts/credentials")
        assert res.status_code == 204
    else:
        res = acc["raw"].patch(acc["base"], json={"status": "Unlinked"})
        assert res.status_code == 200
    for path in ["/accounts", "/accounts/chk1", "/accounts/chk1/transactions", "/customers/current"]:
        fdx_error(api.get(path), 401, 602)
    states = {a["id"]: a["status"] for a in acc["raw"].get(
        f"{acc['base']}/connectionInfo/bankFeedAccounts").json()}
    assert states["chk1"] == "disconnected"


def test_interaction_ids_are_echoed_or_given(fdx):
    acc = accounts_of(fdx.server)
    api = Fdx(fdx.server, consent(fdx.server, fdx.recipient, acc).access_token)
    mine = interaction_id()
    res = api.session.get(f"{api.base}/accounts", headers={"x-fapi-interaction-id": mine})
    assert res.headers["x-fapi-interaction-id"] == mine
    given = api.get("/accounts").headers["x-fapi-interaction-id"]
    assert len(given) == 36 and given != mine
    refused = Fdx(fdx.server, "not-a-token").session.get(
        f"{api.base}/accounts", headers={"x-fapi-interaction-id": mine})
    assert refused.status_code == 401 and refused.headers["x-fapi-interaction-id"] == mine


def test_a_pair_a_consent_consumed_signs_in_nowhere_else(fdx):
    acc = accounts_of(fdx.server)
    consent(fdx.server, fdx.recipient, acc)
    body = sgml_statement_request(acc["user"], acc["password"], "000111222333", "T1",
                                  code=acc["otp"])
    ofx, parsed = parse_both(post_ofx_body(fdx.server.base_url, body.encode()))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 15500
    # A new pair from the Link UI works on the OFX feed as usual.
    fresh = acc["raw"].post(f"{acc['base']}/connectionInfo/bankFeedAccounts/credentials", json={})
    body = sgml_statement_request(fresh.json()["username"], fresh.json()["password"],
                                  "000111222333", "T2", code=acc["otp"])
    ofx, _ = parse_both(post_ofx_body(fdx.server.base_url, body.encode()))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 0
