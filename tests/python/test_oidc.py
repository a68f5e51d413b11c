"""The OpenID Connect authorization server driven by a real OIDC client (authlib): discovery,
the code flow with PKCE through the hosted sign-in (credentials, the authentication prompt,
consent), the ID token checked against the JWKS, refresh, userinfo, every way a grant ends, and
the attacks a recipient or an eavesdropper could try.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlparse

import pytest
import requests
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.errors import MismatchingStateException
from authlib.integrations.requests_client import OAuthError
from authlib.jose import jwt

from support import FeedbridgeServer, create_api_key
from support.ofx import linkable
from support.oidc import (
    REDIRECT_URI, SUB_RE, Browser, alert, callback, client, discovery, heading, recipient_cli,
    recipient_run, register, signed_in, verify_id_token,
)


@pytest.fixture(scope="module")
def oidc(tmp_path_factory):
    """A server (authentication prompt on, everything logged) with two registered recipients."""
    data_dir = tmp_path_factory.mktemp("oidc") / "data"
    data_dir.mkdir()
    env = {"RUST_LOG": "trace"}
    key = create_api_key("Bank", data_dir, env=env)
    server = FeedbridgeServer(data_dir, env=env).start()
    server.key = key  # type: ignore[attr-defined]
    yield SimpleNamespace(server=server, recipient=register(server),
                          other=register(server, "Other Aggregator"))
    server.stop()


def start(server, recipient, **kwargs):
    """A client, its authorization URL and the PKCE verifier, nonce and state behind it."""
    c = client(server, recipient, **kwargs)
    verifier, nonce = generate_token(48), generate_token(16)
    url, state = c.create_authorization_url(
        discovery(server)["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    return SimpleNamespace(client=c, url=url, state=state, verifier=verifier, nonce=nonce)


def connection(server):
    """A connection with two accounts and credentials just issued."""
    return linkable(server, accounts=("chk1", "sav1"), numbers=["000111222333", "000444555666"])


def allowed(server, recipient, acc=None):
    """The whole flow up to the code: `(acc, flow, answer of Allow)`."""
    acc = acc or connection(server)
    flow = start(server, recipient)
    browser = Browser(server)
    page = signed_in(server, browser, flow.url, acc["user"], acc["password"], acc["otp"])
    return acc, flow, browser.consent(page, "allow")


def exchange(server, flow, back, **kwargs) -> dict:
    return flow.client.fetch_token(
        discovery(server)["token_endpoint"], authorization_response=back.headers["location"],
        code_verifier=kwargs.pop("verifier", flow.verifier), state=flow.state, **kwargs)


def granted(server, recipient):
    """A connection whose user allowed `recipient`, and the tokens it received."""
    acc, flow, back = allowed(server, recipient)
    return acc, flow, exchange(server, flow, back)


def userinfo(server, access_token: str) -> requests.Response:
    return requests.get(f"{server.base_url}/oauth2/userinfo",
                        headers={"Authorization": f"Bearer {access_token}"}, timeout=10)


def refresh(server, flow, refresh_token: str) -> dict:
    return flow.client.refresh_token(discovery(server)["token_endpoint"],
                                     refresh_token=refresh_token)


def assert_ended(server, flow, tokens):
    """The grant is over: the access token is refused at once and the refresh token too."""
    res = userinfo(server, tokens["access_token"])
    assert res.status_code == 401, res.text
    assert res.json() == {"error": "invalid_token"}
    with pytest.raises(OAuthError) as refused:
        refresh(server, flow, tokens["refresh_token"])
    assert refused.value.error == "invalid_grant"


def test_discovery_names_every_endpoint_and_only_the_code_flow(oidc):
    config = discovery(oidc.server)
    base = oidc.server.base_url
    assert config["issuer"] == base
    for name, path in [("authorization_endpoint", "/oauth2/authorize"),
                       ("token_endpoint", "/oauth2/token"), ("jwks_uri", "/oauth2/jwks"),
                       ("userinfo_endpoint", "/oauth2/userinfo"),
                       ("revocation_endpoint", "/oauth2/revoke"),
                       ("pushed_authorization_request_endpoint", "/oauth2/par")]:
        assert config[name] == base + path
    assert config["response_types_supported"] == ["code"]
    assert set(config["grant_types_supported"]) == {"authorization_code", "refresh_token"}
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert set(config["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic", "client_secret_post"}
    for scope in ["openid", "offline_access", "fdx:accountbasic:read",
                  "fdx:accountdetailed:read", "fdx:transactions:read"]:
        assert scope in config["scopes_supported"]
    keys = requests.get(config["jwks_uri"], timeout=10).json()["keys"]
    assert keys and all(k["kty"] == "EC" and k["alg"] == "ES256" and "d" not in k for k in keys)


def test_discovery_names_the_institution(oidc):
    """`institution_name` (the `institution.name` setting, FEEDBRIDGE_INSTITUTION_NAME of the
    test servers) is how a recipient such as the sandbox learns the name without OFX's profile."""
    assert discovery(oidc.server)["institution_name"] == "Maple Bank"


def test_the_code_flow_signs_in_confirms_consents_and_issues_verified_tokens(oidc):
    server, recipient = oidc.server, oidc.recipient
    acc, flow, back = allowed(server, recipient)
    answer = callback(back)
    assert answer["state"] == flow.state
    assert answer["iss"] == server.base_url
    tokens = exchange(server, flow, back)
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
    assert set(tokens["scope"].split()) == set(flow.client.scope.split())

    claims = verify_id_token(server, recipient, tokens["id_token"], flow.nonce)
    assert SUB_RE.match(claims["sub"]), claims
    access = jwt.decode(tokens["access_token"],
                        requests.get(discovery(server)["jwks_uri"], timeout=10).json())
    assert access.header["typ"] == "at+jwt"
    assert access["client_id"] == recipient.client_id
    assert access["sub"] == claims["sub"]
    assert access["aud"] == f"{server.base_url}/fdx/v6"
    assert access["exp"] - access["iat"] == 900
    assert access["fdxConsentId"]
    assert userinfo(server, tokens["access_token"]).json() == {"sub": claims["sub"]}

    renewed = refresh(server, flow, tokens["refresh_token"])
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert userinfo(server, renewed["access_token"]).json() == {"sub": claims["sub"]}

    # The same connection keeps its subject; another connection has another one.
    _, flow2, tokens2 = granted(server, recipient)
    other = verify_id_token(server, recipient, tokens2["id_token"], flow2.nonce)
    assert other["sub"] != claims["sub"]


def test_client_secret_post_works_as_well_as_basic(oidc):
    server = oidc.server
    acc, flow, back = allowed(server, oidc.recipient)
    flow.client.token_endpoint_auth_method = "client_secret_post"
    tokens = exchange(server, flow, back)
    assert userinfo(server, tokens["access_token"]).status_code == 200


@pytest.mark.parametrize("ending", ["credentials revoked", "connection unlinked",
                                    "recipient revoked", "refresh token replayed"])
def test_every_way_a_grant_ends_refuses_its_tokens_at_once(oidc, ending):
    server = oidc.server
    acc, flow, tokens = granted(server, oidc.recipient)
    config = discovery(server)
    if ending == "credentials revoked":
        res = acc["raw"].delete(f"{acc['base']}/connectionInfo/bankFeedAccounts/credentials")
        assert res.status_code == 204, res.text
    elif ending == "connection unlinked":
        res = acc["raw"].patch(acc["base"], json={"status": "Unlinked"})
        assert res.status_code == 200, res.text
    elif ending == "recipient revoked":
        flow.client.revoke_token(config["revocation_endpoint"], token=tokens["refresh_token"],
                                 token_type_hint="refresh_token")
    else:
        renewed = refresh(server, flow, tokens["refresh_token"])
        with pytest.raises(OAuthError) as replay:
            refresh(server, flow, tokens["refresh_token"])
        assert replay.value.error == "invalid_grant"
        tokens = renewed
    assert_ended(server, flow, tokens)


def test_a_redirect_uri_not_registered_or_altered_gets_a_page_never_a_redirect(oidc):
    server = oidc.server
    for redirect in ["https://evil.example/callback", REDIRECT_URI + "/extra",
                     REDIRECT_URI + "?next=evil", REDIRECT_URI.replace("127.0.0.1", "localhost")]:
        flow = start(server, oidc.recipient, redirect_uri=redirect)
        res = Browser(server).get(flow.url)
        assert res.status_code == 400, (redirect, res.status_code)
        assert "location" not in res.headers
        assert heading(res) == "This sign-in request cannot be used"
    unknown = start(server, oidc.recipient)
    res = Browser(server).get(unknown.url.replace(oidc.recipient.client_id,
                                                  oidc.other.client_id[:-4] + "0000"))
    assert res.status_code == 400 and "location" not in res.headers


def test_a_recipients_redirect_uris_can_move_and_a_bad_one_changes_nothing(oidc):
    server = oidc.server
    moving = register(server, "Moving Books", "https://books.example/old")
    new_uri = "https://books.example/new"
    recipient_cli(server, "set-redirect-uris", moving.client_id, "--redirect-uri", new_uri)
    listed = [line.split("\t") for line in recipient_cli(server, "list")]
    assert [row[3] for row in listed if row[0] == moving.client_id] == [new_uri]
    old_flow = start(server, moving)
    assert Browser(server).get(old_flow.url).status_code == 400, "the old URI is no longer one"
    new_flow = start(server, moving, redirect_uri=new_uri)
    res = Browser(server).get(new_flow.url)
    assert res.status_code == 303, res.text
    assert not res.headers["location"].startswith(new_uri), "on to the sign-in, not back"

    for bad in ["http://books.example/plain", "https://books.example/cb#frag", "not a url"]:
        proc = recipient_run(server, "set-redirect-uris", moving.client_id, "--redirect-uri", bad)
        assert proc.returncode != 0 and "redirect URI" in proc.stderr, (bad, proc.stderr)
    proc = recipient_run(server, "set-redirect-uris", "0" * 8 + moving.client_id[8:],
                         "--redirect-uri", new_uri)
    assert proc.returncode != 0 and "no recipient has the client_id" in proc.stderr, proc.stderr
    listed = [line.split("\t") for line in recipient_cli(server, "list")]
    assert [row[3] for row in listed if row[0] == moving.client_id] == [new_uri]


def test_pkce_is_required_and_its_verifier_must_match(oidc):
    server = oidc.server
    flow = start(server, oidc.recipient)
    plain = flow.url.replace("code_challenge_method=S256", "code_challenge_method=plain")
    answer = callback(Browser(server).get(plain))
    assert answer["error"] == "invalid_request" and answer["state"] == flow.state
    bare = client(server, oidc.recipient, code_challenge_method=None)
    url, state = bare.create_authorization_url(discovery(server)["authorization_endpoint"])
    answer = callback(Browser(server).get(url))
    assert answer["error"] == "invalid_request" and "PKCE" in answer["error_description"]

    acc, flow, back = allowed(server, oidc.recipient)
    with pytest.raises(OAuthError) as wrong:
        exchange(server, flow, back, verifier=generate_token(48))
    assert wrong.value.error == "invalid_grant"


def test_a_code_works_once_and_a_replay_ends_its_grant(oidc):
    server = oidc.server
    acc, flow, back = allowed(server, oidc.recipient)
    tokens = exchange(server, flow, back)
    assert userinfo(server, tokens["access_token"]).status_code == 200
    with pytest.raises(OAuthError) as replay:
        exchange(server, flow, back)
    assert replay.value.error == "invalid_grant"
    assert_ended(server, flow, tokens)


def test_another_recipients_code_or_refresh_token_is_refused_and_left_intact(oidc):
    server = oidc.server
    acc, flow, back = allowed(server, oidc.recipient)
    thief = start(server, oidc.other)
    thief.state = flow.state
    with pytest.raises(OAuthError) as stolen:
        exchange(server, thief, back, verifier=flow.verifier)
    assert stolen.value.error == "invalid_grant"
    tokens = exchange(server, flow, back)
    with pytest.raises(OAuthError) as stolen:
        refresh(server, thief, tokens["refresh_token"])
    assert stolen.value.error == "invalid_grant"
    assert refresh(server, flow, tokens["refresh_token"])["access_token"]


def test_a_wrong_client_secret_is_invalid_client(oidc):
    server = oidc.server
    acc, flow, back = allowed(server, oidc.recipient)
    flow.client.client_secret = "fbr_" + "x" * 40
    with pytest.raises(OAuthError) as refused:
        exchange(server, flow, back)
    assert refused.value.error == "invalid_client"


def test_the_state_comes_back_as_sent_and_a_tampered_one_is_caught(oidc):
    server = oidc.server
    acc, flow, back = allowed(server, oidc.recipient)
    assert callback(back)["state"] == flow.state
    tampered = back.headers["location"].replace(flow.state, generate_token(30))
    with pytest.raises(MismatchingStateException):
        flow.client.fetch_token(discovery(server)["token_endpoint"],
                                authorization_response=tampered, code_verifier=flow.verifier,
                                state=flow.state)


def test_deny_sends_access_denied_and_grants_nothing(oidc):
    server = oidc.server
    acc = connection(server)
    flow = start(server, oidc.recipient)
    browser = Browser(server)
    page = signed_in(server, browser, flow.url, acc["user"], acc["password"], acc["otp"])
    answer = callback(browser.consent(page, "deny"))
    assert answer == {"error": "access_denied", "state": flow.state, "iss": server.base_url}
    assert "code" not in answer
    # Deny ends the sign-in; the credentials, never consumed, can start a new one.
    allowed(server, oidc.recipient, acc)


def test_a_consent_cannot_reach_another_connections_accounts(oidc):
    server = oidc.server
    theirs = linkable(server, accounts=("their-chk",))
    acc = connection(server)
    flow = start(server, oidc.recipient)
    browser = Browser(server)
    page = signed_in(server, browser, flow.url, acc["user"], acc["password"], acc["otp"])
    for chosen in (["chk1", "their-chk"], ["their-chk"], []):
        refused = browser.consent(page, "allow", accounts=chosen)
        assert refused.status_code == 422, chosen
        assert "Choose at least one account" in alert(refused)
    back = browser.consent(page, "allow", accounts=["sav1"])
    access = jwt.decode(exchange(server, flow, back)["access_token"],
                            requests.get(discovery(server)["jwks_uri"], timeout=10).json())
    assert access["scope"] and access["fdxConsentId"]
    # The other connection's credentials still sign in: nothing of theirs was consumed.
    allowed(server, oidc.recipient, theirs)


def test_wrong_credentials_are_one_uniform_answer_and_throttled_like_the_feed(oidc):
    server = oidc.server
    acc = connection(server)
    flow = start(server, oidc.recipient)
    browser = Browser(server)
    page = browser.open(flow.url)
    unknown = browser.submit(page, "/oauth2/sign-in", username="ZZZZ-ZZZZ-ZZZZ", password="x" * 24)
    wrong = browser.submit(page, "/oauth2/sign-in", username=acc["user"], password="x" * 24)
    assert unknown.status_code == wrong.status_code == 422
    assert alert(unknown) == alert(wrong) and "not right" in alert(wrong)
    for _ in range(4):
        browser.submit(page, "/oauth2/sign-in", username=acc["user"], password="y" * 24)
    # Five failures: the username now waits out a back-off, whatever the password.
    blocked = browser.submit(page, "/oauth2/sign-in", username=acc["user"],
                             password=acc["password"])
    assert alert(blocked) == alert(wrong)
    time.sleep(2.2)
    page = browser.submit(page, "/oauth2/sign-in", username=acc["user"], password=acc["password"])
    assert heading(page) == "Confirm it is you"


def test_a_wrong_confirmation_code_is_refused_and_five_burn_it(oidc):
    server = oidc.server
    acc = connection(server)
    flow = start(server, oidc.recipient)
    browser = Browser(server)
    page = browser.open(flow.url)
    page = browser.submit(page, "/oauth2/sign-in", username=acc["user"], password=acc["password"])
    wrong = "000000" if acc["otp"] != "000000" else "111111"
    for _ in range(5):
        page = browser.submit(page, "/oauth2/confirm", code=wrong)
        assert page.status_code == 422 and "not right" in alert(page)
    page = browser.submit(page, "/oauth2/confirm", code=acc["otp"])
    assert page.status_code == 422, "a burnt code no longer works"


def test_pushed_authorization_requests_are_used_once(oidc):
    server, recipient = oidc.server, oidc.recipient
    acc = connection(server)
    flow = start(server, recipient)
    config = discovery(server)
    params = dict(parse_qsl(urlparse(flow.url).query))
    pushed = requests.post(config["pushed_authorization_request_endpoint"], data=params,
                           auth=(recipient.client_id, recipient.client_secret), timeout=10)
    assert pushed.status_code == 201, pushed.text
    body = pushed.json()
    assert body["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")
    assert 0 < body["expires_in"] <= 600
    url = (f"{config['authorization_endpoint']}?client_id={recipient.client_id}"
           f"&request_uri={body['request_uri']}")
    browser = Browser(server)
    page = signed_in(server, browser, url, acc["user"], acc["password"], acc["otp"])
    back = browser.consent(page, "allow")
    assert callback(back)["state"] == flow.state
    assert exchange(server, flow, back)["access_token"]
    again = Browser(server).get(url)
    assert again.status_code == 400 and "location" not in again.headers
    unauthenticated = requests.post(config["pushed_authorization_request_endpoint"], data=params,
                                    timeout=10)
    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["error"] == "invalid_client"


def test_no_secret_or_token_reaches_the_log(oidc):
    server = oidc.server
    acc, flow, back = allowed(server, oidc.recipient)
    code = callback(back)["code"]
    tokens = exchange(server, flow, back)
    renewed = refresh(server, flow, tokens["refresh_token"])
    userinfo(server, renewed["access_token"])
    log = server.stderr_path.read_text("utf-8", "replace")
    assert "oauth2/token" in log, "the log holds the requests at trace level"
    for name, secret in [("client secret", oidc.recipient.client_secret),
                         ("password", acc["password"]), ("confirmation code", acc["otp"]),
                         ("code", code), ("code verifier", flow.verifier),
                         ("access token", tokens["access_token"]),
                         ("refresh token", tokens["refresh_token"]),
                         ("id token", tokens["id_token"]),
                         ("renewed refresh token", renewed["refresh_token"])]:
        assert secret not in log, f"the {name} is in the log"
