"""Stored XSS in the feed output (S11): markup, entity and template payloads pushed as
transaction descriptions and counterparties come back from a Direct Connect statement exactly,
in OFX 1.0.2 (SGML) and 2.2 (XML), as read by ofxtools and ofxparse.

NAME carries the counterparty cut to OFX's 32 characters and MEMO the description cut to 255;
the expected values are cut the same way. A 1.0.2 response uses the request's ENCODING and
CHARSET:

- `CHARSET:1252` (what QuickBooks sends): the body is Windows-1252, so characters outside that
  code page cannot be sent and arrive as `?`; those payloads are compared with that substitution.
- `ENCODING:UTF-8`: lossless.
- ofxtools' own header (`ENCODING:USASCII`, `CHARSET:NONE`) is answered in UTF-8, as ofxtools
  reads it; ofxparse cannot read `CHARSET:NONE` at all (it looks up a codec named `cpNONE`).

ofxparse also reads a 2.x body as ASCII whatever its XML declaration says, so it cannot read a
2.x statement with any non-ASCII character. The payloads are therefore split over two accounts,
ASCII-only and not, and ofxparse reads every statement it can.
"""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from ofxtools.Client import StmtRq
from ofxtools.Parser import OFXTree
from ofxtools.utils import UTC

from support.ofx import (
    linkable, ofx_client, parse_both, post_ofx_body, start_feed_server, today_utc,
)

PAYLOADS = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "xss_payloads.json").read_text()
) + ["<script>alert(1)</script>" + "A" * 10_000]
BY_ACCOUNT = {
    "ascii": [p for p in PAYLOADS if p.isascii()],
    "wide": [p for p in PAYLOADS if not p.isascii()],
}

CP1252 = (b"CHARSET:NONE", b"CHARSET:1252")
UTF8 = (b"ENCODING:USASCII", b"ENCODING:UTF-8")


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    server = start_feed_server(tmp_path_factory, prompt=False)
    acc = linkable(server, accounts=tuple(BY_ACCOUNT))
    day = today_utc().isoformat()
    for account, payloads in BY_ACCOUNT.items():
        # The first statement links the account; pushed transactions then reach the feed.
        statement(server, acc, account, 220)
        transactions = [
            {"id": f"xss-{i:02}", "date": f"{day}T00:00:{i:02}", "description": payload,
             "counterparty": payload, "amount": -1, "transactionType": "Debit"}
            for i, payload in enumerate(payloads)
        ]
        pushed = acc["raw"].post(f"{acc['base']}/push/bankAccounts/{account}/bankTransactions",
                                 json={"accountId": account, "transactions": transactions})
        assert pushed.status_code == 200, pushed.text
        assert pushed.json()["status"] == "Success", pushed.text
    yield server, acc
    server.stop()


def statement(server, acc, account: str, version: int, header=None) -> bytes:
    """A statement request built by ofxtools, sent as-is or with one 1.x header line replaced."""
    client = ofx_client(server.base_url, acc["user"], version)
    start = datetime.datetime.combine(today_utc() - datetime.timedelta(days=3),
                                      datetime.time(), tzinfo=UTC)
    body = client.request_statements(
        acc["password"], StmtRq(acctid=account, accttype="CHECKING", dtstart=start),
        skip_profile=True, dryrun=True,
    ).read()
    if header is not None:
        assert header[0] in body
        body = body.replace(*header)
    return post_ofx_body(server.base_url, body)


def in_1252(text: str) -> str:
    """What survives a Windows-1252 body: anything outside the code page becomes `?`."""
    return text.encode("cp1252", errors="replace").decode("cp1252")


def ofxparse_reads(version: int, header, account: str) -> bool:
    if version < 200:
        return header is not None
    return account == "ascii"


@pytest.mark.parametrize("account", list(BY_ACCOUNT))
@pytest.mark.parametrize("version,header", [(102, None), (102, CP1252), (102, UTF8), (220, None)],
                         ids=["sgml-102", "sgml-102-cp1252", "sgml-102-utf8", "xml-220"])
def test_payloads_come_back_exactly(feed, version, header, account):
    server, acc = feed
    payloads = BY_ACCOUNT[account]
    body = statement(server, acc, account, version, header)
    assert body.startswith(b"OFXHEADER:100" if version < 200 else b"<?xml")
    # The raw body never carries a payload's markup unescaped.
    assert b"<script>" not in body and b"<img" not in body and b"]]><" not in body
    expect = in_1252 if header == CP1252 else (lambda text: text)
    if ofxparse_reads(version, header, account):
        ofx, parsed = parse_both(body)
        from_ofxparse = {t.id: t for t in parsed.account.statement.transactions}
        assert len(from_ofxparse) == len(payloads)
    else:
        tree = OFXTree()
        tree.parse(io.BytesIO(body))
        ofx, from_ofxparse = tree.convert(), {}

    (stmt,) = ofx.statements
    by_fitid = {t.fitid: t for t in stmt.transactions}
    assert len(by_fitid) == len(payloads)
    for i, payload in enumerate(payloads):
        fitid = f"xss-{i:02}"
        name, memo = expect(payload[:32]), expect(payload[:255])
        assert (by_fitid[fitid].name, by_fitid[fitid].memo) == (name, memo), ("ofxtools", payload)
        if fitid in from_ofxparse:
            theirs = from_ofxparse[fitid]
            assert (theirs.payee, theirs.memo) == (name, memo), ("ofxparse", payload)


def test_only_characters_outside_cp1252_are_replaced():
    """The payloads that cannot round-trip in a 1252 body, named so a change is noticed."""
    lossy = [p for p in PAYLOADS if in_1252(p) != p]
    assert lossy == ["\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", "Invoice \u202efdp.exe"]
