"""No secret reaches the log (playbook row S21).

One server runs at TRACE level for every crate while the whole flow passes through it: an API key,
a webhook endpoint (its signing secret), a company, a connection (its link token), the Link UI
(the session cookie, then the generated password and confirmation code), the OFX authentication
prompt (the access key), a push and webhook deliveries. Afterwards none of those values may
appear anywhere in what the server wrote to standard error.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, urlparse

import requests
from ofxtools.models import MFACHALLENGEA, MFACHALLENGERQ, MFACHALLENGETRNRQ
from ofxtools.utils import UTC

from support import FeedbridgeServer, RawApi, Receiver, basic, create_api_key, unique
from support.ofx import ofx_client, parse_both, post_ofx, sonrq

OUTPUT = re.compile(r'<output id="(username|password|code)"[^>]*>([^<]+)</output>')


def link_ui_credentials(base_url: str, link: str) -> tuple[dict, list[str]]:
    """Walks the Link UI from the link to "Get credentials"; returns them and the cookies seen."""
    browser = requests.Session()
    opened = browser.get(link, allow_redirects=False, timeout=10)
    assert opened.status_code == 303, opened.text
    setup_url = base_url + urlparse(opened.headers["location"]).path + "/setup"
    setup = browser.get(setup_url, timeout=10)
    assert setup.status_code == 200, setup.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', setup.text).group(1)
    shown = browser.post(setup_url.removesuffix("/setup") + "/credentials", data={"csrf": csrf},
                         headers={"Origin": base_url, "Sec-Fetch-Site": "same-origin"},
                         timeout=10)
    assert shown.status_code == 200, shown.text
    values = dict(OUTPUT.findall(shown.text))
    assert set(values) == {"username", "password", "code"}, shown.text
    return values, [c.value for c in browser.cookies]


def pair_through_the_prompt(base_url: str, creds: dict) -> str:
    """Signs on, answers the confirmation code, returns the access key the feed issued."""
    client = ofx_client(base_url, creds["username"])
    user, password = creds["username"], creds["password"]
    mfa = MFACHALLENGETRNRQ(trnuid="mfa-1", mfachallengerq=MFACHALLENGERQ(
        dtclient=datetime.datetime.now(UTC)))
    ofx, _ = parse_both(post_ofx(base_url, client, sonrq(user, password), mfa))
    phrase = ofx.signonmsgsrsv1.mfachallengetrnrs.mfachallengers[0].mfaphraseid
    ofx, _ = parse_both(post_ofx(base_url, client, sonrq(
        user, password, MFACHALLENGEA(mfaphraseid=phrase, mfaphrasea=creds["code"]))))
    access_key = ofx.signonmsgsrsv1.sonrs.accesskey
    assert ofx.signonmsgsrsv1.sonrs.status.code == 0 and access_key
    ofx, _ = parse_both(post_ofx(base_url, client, sonrq(user, password, accesskey=access_key)))
    assert ofx.signonmsgsrsv1.sonrs.status.code == 0
    return access_key


def run_the_flow(server: FeedbridgeServer, key: str, receiver: Receiver) -> dict[str, str]:
    secrets = {"api key": key, "authorization": basic(key).split()[1]}
    raw = RawApi(server.base_url, key)
    hook = raw.post("/webhooks/endpoints", json={"url": receiver.url}).json()
    secrets["webhook secret"] = hook["secret"]
    company = raw.post("/companies", json={"name": f"Logs Co {unique()}"}).json()["id"]
    conn = raw.post(f"/companies/{company}/connections", json={"platformKey": "hcws"}).json()
    base = f"/companies/{company}/connections/{conn['id']}"
    created = raw.post(f"{base}/connectionInfo/bankFeedAccounts", json={
        "id": "chk-1", "accountName": "Checking", "accountType": "checking",
        "accountNumber": "000123456789", "currency": "USD", "balance": 100.00,
    })
    assert created.status_code == 200, created.text
    secrets["link token"] = parse_qs(urlparse(conn["linkUrl"]).query)["otp"][0]
    creds, cookies = link_ui_credentials(server.base_url, conn["linkUrl"])
    assert cookies, "the Link UI set no session cookie"
    secrets.update({f"cookie {i}": c for i, c in enumerate(cookies)})
    secrets["password"] = creds["password"]
    secrets["confirmation code"] = creds["code"]
    secrets["access key"] = pair_through_the_prompt(server.base_url, creds)
    pushed = raw.post(f"/companies/{company}/connections/{conn['id']}/push/bankAccounts/chk-1"
                      "/bankTransactions", json={"accountId": "chk-1", "transactions": []})
    assert pushed.status_code in (200, 400), pushed.text
    receiver.wait_for(company, {"connection.created", "bankFeeds.credentials.generated"})
    return secrets


def test_no_secret_reaches_the_log_of_a_full_run(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {"RUST_LOG": "trace", "FEEDBRIDGE_FEED_AUTHENTICATION_PROMPT": "true"}
    key = create_api_key("Logs", data_dir, env=env)
    server = FeedbridgeServer(data_dir, env=env).start()
    receiver = Receiver()
    try:
        secrets = run_the_flow(server, key, receiver)
    finally:
        server.stop()
        receiver.close()
    log = server.stderr_path.read_text("utf-8", "replace")
    # Every request is logged at DEBUG ("started processing request"): the filter was really open.
    assert log.count("started processing request") >= 11, "the run was not logged in full"
    for name, value in secrets.items():
        assert len(value) >= 6, name
        # A six-digit code may occur inside longer numbers (timestamps); only a whole match counts.
        pattern = re.escape(value) if len(value) > 6 else rf"(?<![0-9]){value}(?![0-9])"
        found = re.search(pattern, log)
        assert found is None, f"the {name} reached the log: ...{log[max(0, found.start() - 120):found.end() + 40]}..."
