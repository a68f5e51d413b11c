"""The OFX feed as the tests drive it: a server with or without the authentication prompt, a
connection with credentials ready to link, requests built by ofxtools or written as OFX 1.0.2
SGML (the dialect QuickBooks sends), and every answer read by both ofxtools and ofxparse.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Optional

import requests
from ofxparse import OfxParser
from ofxtools.Client import OFXClient
from ofxtools.models import OFX, SIGNONMSGSRQV1, SONRQ
from ofxtools.Parser import OFXTree
from ofxtools.utils import UTC

from codat_bankfeeds import CodatBankFeeds
from codat_bankfeeds.models import shared
from codat_bankfeeds.utils import RetryConfig

from .api import RawApi, basic, unique
from .server import FeedbridgeServer, create_api_key

# The configured defaults: numeric-looking values cannot be set through the environment yet.
BANK_ID = "000000000"
INTU_BID = "00000"

# The header of every OFX 1.0.2 request written by hand.
SGML_HEADER = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

"""


def start_feed_server(tmp_path_factory, prompt: bool) -> FeedbridgeServer:
    """A server of its own, with the authentication prompt on or off, and a key in `.key`."""
    root = tmp_path_factory.mktemp("ofxfeed")
    data_dir = root / "data"
    data_dir.mkdir()
    env = {
        "FEEDBRIDGE_FEED_AUTHENTICATION_PROMPT": "true" if prompt else "false",
    }
    key = create_api_key("Feed", data_dir, env=env)
    server = FeedbridgeServer(data_dir, env=env).start()
    server.key = key  # type: ignore[attr-defined]
    return server


def sdk_for(server) -> CodatBankFeeds:
    return CodatBankFeeds(
        server_url=server.base_url,
        security=shared.Security(auth_header=basic(server.key)),
        retry_config=RetryConfig("none"),
    )


def linkable(server, accounts=("chk1",), numbers=None) -> dict:
    """A company, a connection, v2 checking accounts with a balance, and credentials. Without
    `numbers`, every account carries the same number, so the feed names them by id."""
    sdk = sdk_for(server)
    company = sdk.companies.create(request={"name": f"Feed Co {unique()}"})
    conn = sdk.connections.create(
        request={"company_id": company.id, "request_body": {"platform_key": "hcws"}}
    )
    for acc, number in zip(accounts, numbers or ["000123456789"] * len(accounts)):
        sdk.source_accounts.create(request={
            "company_id": company.id, "connection_id": conn.id,
            "request_body": shared.SourceAccountV2Prototype(
                id=acc, account_name=f"Checking {acc}", account_type="checking",
                account_number=number, currency="USD", balance=Decimal("1500.25"),
            ),
        })
    raw = RawApi(server.base_url, server.key)
    base = f"/companies/{company.id}/connections/{conn.id}"
    creds = raw.post(f"{base}/connectionInfo/bankFeedAccounts/credentials", json={}).json()
    otp = raw.post(f"{base}/bankFeeds/otp").json()["otp"]
    return dict(sdk=sdk, raw=raw, company=company.id, conn=conn.id, base=base,
                user=creds["username"], password=creds["password"], otp=otp)


def today_utc() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def ofx_client(base_url: str, user: str, version: int = 220) -> OFXClient:
    """ofxtools' client for the feed at `base_url`, signing on as `user`."""
    return OFXClient(f"{base_url}/ofx", userid=user, org="MAPLE", fid="9999", version=version,
                     bankid=BANK_ID)


def sonrq(user: str, password: str, *answers, accesskey=None) -> SONRQ:
    """A sign-on dated now, with MFA `answers` and an access key if given."""
    now = datetime.datetime.now(UTC)
    return SONRQ(*answers, dtclient=now, userid=user, userpass=password,
                 language="ENG", appid="QWIN", appver="2700", accesskey=accesskey)


def post_ofx_body(base_url: str, body: bytes) -> bytes:
    """Posts one OFX request to `/ofx`, which must answer 200; returns the answer's bytes."""
    res = requests.post(f"{base_url}/ofx", data=body,
                        headers={"Content-Type": "application/x-ofx"}, timeout=30)
    assert res.status_code == 200, res.text
    return res.content


def post_ofx(base_url: str, client: OFXClient, signon: SONRQ, mfa=None) -> bytes:
    """Posts a sign-on (and an MFA challenge request if given) serialized by `client`."""
    if mfa is not None:
        msgs = SIGNONMSGSRQV1(sonrq=signon, mfachallengetrnrq=mfa)
    else:
        msgs = SIGNONMSGSRQV1(sonrq=signon)
    return post_ofx_body(base_url, client.serialize(OFX(signonmsgsrqv1=msgs)))


def sgml_statement_request(user: str, password: str, account: str, trnuid: str, *,
                           start: Optional[str] = None, code: Optional[str] = None) -> str:
    """A 1.0.2 statement request as QuickBooks writes it, from `start` (YYYYMMDD) if given,
    answering the authentication prompt with `code` in the same sign-on if given."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    mfa = f"<MFACHALLENGEA><MFAPHRASEID>FBCODE<MFAPHRASEA>{code}</MFACHALLENGEA>" if code else ""
    dtstart = f"<DTSTART>{start}" if start else ""
    return (
        f"{SGML_HEADER}<OFX><SIGNONMSGSRQV1><SONRQ><DTCLIENT>{now}<USERID>{user}"
        f"<USERPASS>{password}<LANGUAGE>ENG<APPID>QBO<APPVER>2700{mfa}</SONRQ></SIGNONMSGSRQV1>"
        f"<BANKMSGSRQV1><STMTTRNRQ><TRNUID>{trnuid}<STMTRQ><BANKACCTFROM><BANKID>{BANK_ID}"
        f"<ACCTID>{account}<ACCTTYPE>CHECKING</BANKACCTFROM><INCTRAN>{dtstart}<INCLUDE>Y"
        "</INCTRAN></STMTRQ></STMTTRNRQ></BANKMSGSRQV1></OFX>\n"
    )


def parse_both(body: bytes):
    """The answer as ofxtools converts it and as ofxparse reads it."""
    tree = OFXTree()
    tree.parse(io.BytesIO(body))
    ofx = tree.convert()
    parsed = OfxParser.parse(io.BytesIO(body))
    return ofx, parsed
