"""The OFX Direct Connect feed driven by real clients: ofxtools' `ofxget` and `OFXClient`,
with every response also read by ofxparse, and the Web Connect export.

Each test module section starts its own server: one with the authentication prompt off
(what `ofxget` can drive), one with it on (the MFA round trip built from ofxtools' models).
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from ofxtools.Client import StmtRq
from ofxtools.models import MFACHALLENGEA, MFACHALLENGERQ, MFACHALLENGETRNRQ
from ofxtools.utils import UTC

from support.ofx import (
    BANK_ID, INTU_BID, linkable, ofx_client, parse_both, post_ofx, sonrq, start_feed_server,
    today_utc,
)

OFXGET = str(Path(sys.executable).parent / "ofxget")


@pytest.fixture(scope="module")
def noprompt(tmp_path_factory):
    server = start_feed_server(tmp_path_factory, prompt=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def withprompt(tmp_path_factory):
    server = start_feed_server(tmp_path_factory, prompt=True)
    yield server
    server.stop()


def ofxget(server, tmp_path, *args) -> bytes:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "cfg"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    proc = subprocess.run(
        [OFXGET, *args, "--url", f"{server.base_url}/ofx", "--org", "MAPLE", "--fid", "9999",
         "--version", "220"],
        capture_output=True, timeout=60, env=env, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_profile_with_the_anonymous_signon(noprompt, tmp_path):
    ofx, _ = parse_both(ofxget(noprompt, tmp_path, "prof"))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 0
    assert ofx.profmsgsrsv1[0].profrs.finame == "Maple Bank"


def test_acctinfo_then_statement_links_the_account(noprompt, tmp_path):
    acc = linkable(noprompt, accounts=("chk1", "chk2"))
    common = ["-u", acc["user"], "--password", acc["password"]]
    ofx, parsed = parse_both(ofxget(noprompt, tmp_path, "acctinfo", *common))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 0
    infos = ofx.signupmsgsrsv1[0].acctinfors
    ids = sorted(i[0].bankacctfrom.acctid for i in infos)
    assert ids == ["chk1", "chk2"]
    assert {i[0].bankacctfrom.bankid for i in infos} == {BANK_ID}
    assert sorted(a.account_id for a in parsed.accounts) == ["chk1", "chk2"]
    assert parsed.signon.code == "0" or str(parsed.signon.code) == "0"

    start = (today_utc() - datetime.timedelta(days=10)).strftime("%Y%m%d")
    body = ofxget(noprompt, tmp_path, "stmt", *common, "--bankid", BANK_ID, "-C", "chk1",
                  "-s", start)
    ofx, parsed = parse_both(body)
    assert ofx.signonmsgsrsv1.sonrs.status.code == 0
    (stmt,) = ofx.statements
    assert stmt.account.acctid == "chk1"
    assert stmt.balance.balamt == Decimal("1500.25")
    assert stmt.availbal.balamt == Decimal("1500.25")
    assert list(stmt.transactions) == []
    assert parsed.account.account_id == "chk1"
    assert parsed.account.statement.balance == Decimal("1500.25")

    sdk = acc["sdk"]
    conn = sdk.connections.get(request={"company_id": acc["company"], "connection_id": acc["conn"]})
    assert str(getattr(conn.status, "value", conn.status)) == "Linked"
    listed = {a.id: a for a in sdk.source_accounts.list(
        request={"company_id": acc["company"], "connection_id": acc["conn"]})}
    chk1 = acc["raw"].get(f"{acc['base']}/connectionInfo/bankFeedAccounts").json()
    by_id = {a["id"]: a for a in chk1}
    assert by_id["chk1"]["status"] == "connected"
    assert by_id["chk1"]["feedStartDate"].startswith(
        (today_utc() - datetime.timedelta(days=7)).isoformat())
    assert by_id["chk2"]["status"] == "pending"
    assert "chk1" in listed


def test_accounts_are_named_by_their_numbers_and_stmt_all_links_them(noprompt, tmp_path):
    numbers = ["000111222333", "000444555666"]
    acc = linkable(noprompt, accounts=("chk1", "chk2"), numbers=numbers)
    common = ["-u", acc["user"], "--password", acc["password"]]
    ofx, parsed = parse_both(ofxget(noprompt, tmp_path, "acctinfo", *common))
    infos = ofx.signupmsgsrsv1[0].acctinfors
    assert sorted(i[0].bankacctfrom.acctid for i in infos) == numbers
    assert sorted(a.account_id for a in parsed.accounts) == numbers

    start = (today_utc() - datetime.timedelta(days=2)).strftime("%Y%m%d")
    ofx, _ = parse_both(ofxget(noprompt, tmp_path, "stmt", *common, "--all", "-s", start))
    assert sorted(s.account.acctid for s in ofx.statements) == numbers
    listed = acc["raw"].get(f"{acc['base']}/connectionInfo/bankFeedAccounts").json()
    assert {a["id"]: a["status"] for a in listed} == {"chk1": "connected", "chk2": "connected"}

    # A platform that learned the id earlier still reaches the account by it.
    ofx, _ = parse_both(ofxget(noprompt, tmp_path, "stmt", *common, "--bankid", BANK_ID,
                               "-C", "chk1", "-s", start))
    (stmt,) = ofx.statements
    assert stmt.account.acctid == "chk1"
    assert stmt.balance.balamt == Decimal("1500.25")


def test_pushed_transactions_reach_the_next_statement(noprompt, tmp_path):
    acc = linkable(noprompt)
    common = ["-u", acc["user"], "--password", acc["password"], "--bankid", BANK_ID, "-C", "chk1"]
    start = (today_utc() - datetime.timedelta(days=3)).strftime("%Y%m%d")
    ofxget(noprompt, tmp_path, "stmt", *common, "-s", start)
    day = today_utc().isoformat()
    pushed = acc["raw"].post(f"{acc['base']}/push/bankAccounts/chk1/bankTransactions", json={
        "accountId": "chk1",
        "transactions": [
            {"id": "fit-001", "date": f"{day}T00:00:01", "description": "Card sales & tips",
             "amount": 1284.50, "balance": 2784.75, "transactionType": "Credit"},
            {"id": "fit-002", "date": f"{day}T00:00:02", "description": "Prairie Mills flour",
             "amount": -184.20, "balance": 2600.55, "transactionType": "Debit"},
        ],
    })
    assert pushed.status_code == 200, pushed.text
    assert pushed.json()["status"] == "Success", pushed.text

    ofx, parsed = parse_both(ofxget(noprompt, tmp_path, "stmt", *common, "-s", start))
    (stmt,) = ofx.statements
    by_fitid = {t.fitid: t for t in stmt.transactions}
    assert set(by_fitid) == {"fit-001", "fit-002"}
    assert by_fitid["fit-001"].trnamt == Decimal("1284.50")
    assert by_fitid["fit-001"].trntype == "CREDIT"
    assert by_fitid["fit-001"].name.startswith("Card sales & tips")
    assert by_fitid["fit-002"].trnamt == Decimal("-184.20")
    assert by_fitid["fit-002"].trntype == "DEBIT"
    assert stmt.balance.balamt == Decimal("2600.55")
    assert {t.id for t in parsed.account.statement.transactions} == {"fit-001", "fit-002"}
    assert {t.amount for t in parsed.account.statement.transactions} == {
        Decimal("1284.50"), Decimal("-184.20")}


def test_wrong_password_is_15500_for_both_parsers(noprompt, tmp_path):
    acc = linkable(noprompt)
    client = ofx_client(noprompt.base_url, acc["user"])
    body = client.request_statements(
        "not-the-password",
        StmtRq(acctid="chk1", accttype="CHECKING",
               dtstart=datetime.datetime(2024, 1, 1, tzinfo=UTC)),
        skip_profile=True,
    ).read()
    ofx, parsed = parse_both(body)
    assert ofx.signonmsgsrsv1.sonrs.status.code == 15500
    assert str(parsed.signon.code) == "15500"


def test_authentication_prompt_round_trip(withprompt):
    acc = linkable(withprompt)
    client = ofx_client(withprompt.base_url, acc["user"])
    ofx, parsed = parse_both(post_ofx(withprompt.base_url, client, sonrq(acc["user"], acc["password"])))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 3000
    assert str(parsed.signon.code) == "3000"

    mfa = MFACHALLENGETRNRQ(trnuid="mfa-1", mfachallengerq=MFACHALLENGERQ(
        dtclient=datetime.datetime.now(UTC)))
    body = post_ofx(withprompt.base_url, client, sonrq(acc["user"], acc["password"]), mfa)
    ofx, _ = parse_both(body)
    assert ofx.signonmsgsrsv1.mfachallengetrnrs is not None, body
    challenge = ofx.signonmsgsrsv1.mfachallengetrnrs.mfachallengers[0]
    phrase = challenge.mfaphraseid

    wrong = "111111" if acc["otp"] == "000000" else "000000"
    ofx, parsed = parse_both(post_ofx(withprompt.base_url, client, sonrq(
        acc["user"], acc["password"], MFACHALLENGEA(mfaphraseid=phrase, mfaphrasea=wrong))))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 3001
    assert str(parsed.signon.code) == "3001"

    ofx, _ = parse_both(post_ofx(withprompt.base_url, client, sonrq(
        acc["user"], acc["password"], MFACHALLENGEA(mfaphraseid=phrase, mfaphrasea=acc["otp"]))))
    sonrs = ofx.signonmsgsrsv1.sonrs
    assert sonrs.status.code == 0
    assert sonrs.accesskey

    ofx, _ = parse_both(post_ofx(withprompt.base_url, client, sonrq(acc["user"], acc["password"], accesskey=sonrs.accesskey)))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 0
    acc["raw"].delete(f"{acc['base']}/connectionInfo/bankFeedAccounts/credentials")
    ofx, _ = parse_both(post_ofx(withprompt.base_url, client, sonrq(acc["user"], acc["password"], accesskey=sonrs.accesskey)))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 15500


@pytest.mark.parametrize("ext", ["qbo", "ofx"])
def test_web_connect_export_parses(noprompt, ext):
    acc = linkable(noprompt)
    res = acc["raw"].get(
        f"{acc['base']}/connectionInfo/bankFeedAccounts/chk1/statement.{ext}",
        params={"from": "2026-01-01", "to": today_utc().isoformat()},
    )
    assert res.status_code == 200, res.text
    assert res.content.startswith(b"OFXHEADER:100")
    assert (b"<INTU.BID>" + INTU_BID.encode() in res.content) == (ext == "qbo")
    ofx, parsed = parse_both(res.content)
    (stmt,) = ofx.statements
    assert stmt.balance.balamt == Decimal("1500.25")
    # Named as the Direct Connect feed names it, so QuickBooks matches the file to that account.
    assert parsed.account.account_id == "000123456789"
    bad = acc["raw"].get(
        f"{acc['base']}/connectionInfo/bankFeedAccounts/chk1/statement.{ext}",
        params={"from": "yesterday"},
    )
    assert bad.status_code == 400
