"""OpenID Connect as a data recipient meets it: recipients registered with `feedbridge recipient
add`, authlib as the recipient's OAuth client, and a user who walks the institution's hosted
sign-in with a plain HTTP session (the pages work without JavaScript), reading each form as a
browser would.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from typing import Optional
from urllib.parse import parse_qs, urljoin, urlparse

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken
from bs4 import BeautifulSoup

from .server import CLI_TIMEOUT_S, backend_env, feedbridge_bin, server_env

SCOPE = "openid offline_access fdx:accountbasic:read fdx:accountdetailed:read fdx:transactions:read"
# Nothing listens there: the browser's last hop is read from the Location header, never followed.
REDIRECT_URI = "http://127.0.0.1:9/callback"


@dataclass
class Recipient:
    client_id: str
    client_secret: str
    redirect_uri: str


def recipient_run(server, *args: str) -> subprocess.CompletedProcess:
    """`feedbridge recipient ARGS --data-dir DIR` on the server's storage, however it ends."""
    return subprocess.run(
        [feedbridge_bin(), "recipient", *args, "--data-dir", str(server.data_dir)],
        capture_output=True, text=True, timeout=CLI_TIMEOUT_S, stdin=subprocess.DEVNULL,
        env=server_env({**backend_env(server.data_dir), **server.env}),
    )


def recipient_cli(server, *args: str) -> list[str]:
    """`feedbridge recipient ARGS`, which must succeed; its stdout lines."""
    proc = recipient_run(server, *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def register(server, name: str = "Ledgerly", redirect_uri: str = REDIRECT_URI) -> Recipient:
    lines = recipient_cli(server, "add", "--name", name, "--redirect-uri", redirect_uri)
    fields = dict(line.split(": ", 1) for line in lines if line.startswith("client_"))
    return Recipient(fields["client_id"], fields["client_secret"], redirect_uri)


def discovery(server) -> dict:
    res = requests.get(f"{server.base_url}/.well-known/openid-configuration", timeout=10)
    assert res.status_code == 200, res.text
    return res.json()


def client(server, recipient: Recipient, **kwargs) -> OAuth2Session:
    """authlib's OAuth client for `recipient`: code flow with PKCE S256."""
    kwargs.setdefault("scope", SCOPE)
    kwargs.setdefault("redirect_uri", recipient.redirect_uri)
    kwargs.setdefault("code_challenge_method", "S256")
    return OAuth2Session(recipient.client_id, recipient.client_secret, **kwargs)


class Browser:
    """The SMB user's browser on the hosted pages: cookies kept, redirects read one at a time."""

    def __init__(self, server) -> None:
        self.base = server.base_url
        self.http = requests.Session()

    def get(self, url: str) -> requests.Response:
        return self.http.get(urljoin(self.base, url), allow_redirects=False, timeout=15)

    def open(self, url: str) -> requests.Response:
        """Follows our own redirects; stops at a page or at a redirect to another origin."""
        res = self.get(url)
        while res.status_code in (302, 303) and self.ours(res.headers["location"]):
            res = self.get(res.headers["location"])
        return res

    def ours(self, location: str) -> bool:
        return urljoin(self.base, location).startswith(self.base)

    @staticmethod
    def form(page: requests.Response, action: str) -> dict:
        """The fields of the form posting to `action`, as the page filled them."""
        soup = BeautifulSoup(page.text, "html.parser")
        form = soup.find("form", action=action)
        assert form is not None, f"no form for {action} on the page:\n{page.text}"
        return {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")
                and i.get("type") != "checkbox"}

    def submit(self, page: requests.Response, action: str, **fields) -> requests.Response:
        data = {**self.form(page, action), **fields}
        res = self.http.post(urljoin(self.base, action), data=data, allow_redirects=False,
                             timeout=15)
        if res.status_code in (302, 303) and self.ours(res.headers["location"]):
            return self.open(res.headers["location"])
        return res

    def consent(self, page: requests.Response, decision: str,
                accounts: Optional[list[str]] = None) -> requests.Response:
        """Allow (with `accounts`, by default every one offered) or Deny."""
        soup = BeautifulSoup(page.text, "html.parser")
        offered = [i["value"] for i in soup.find_all("input", attrs={"name": "account"})]
        chosen = offered if accounts is None else accounts
        data = [("csrf", self.form(page, "/oauth2/consent")["csrf"]), ("decision", decision)]
        data += [("account", a) for a in chosen]
        return self.http.post(f"{self.base}/oauth2/consent", data=data, allow_redirects=False,
                              timeout=15)


def heading(page: requests.Response) -> str:
    h1 = BeautifulSoup(page.text, "html.parser").find("h1")
    return h1.get_text(strip=True) if h1 else ""


def alert(page: requests.Response) -> str:
    found = BeautifulSoup(page.text, "html.parser").find(attrs={"role": "alert"})
    return found.get_text(" ", strip=True) if found else ""


def signed_in(server, browser: Browser, url: str, user: str, password: str,
              code: Optional[str]) -> requests.Response:
    """Opens the authorization URL, signs in and answers the prompt: the consent page."""
    page = browser.open(url)
    assert page.status_code == 200, page.text
    page = browser.submit(page, "/oauth2/sign-in", username=user, password=password)
    if code is not None:
        assert heading(page) == "Confirm it is you", page.text
        page = browser.submit(page, "/oauth2/confirm", code=code)
    assert "to see your accounts" in heading(page), page.text
    return page


def callback(response: requests.Response) -> dict:
    """The query of the redirect back to the recipient."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI), location
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


def verify_id_token(server, recipient: Recipient, id_token: str, nonce: str) -> dict:
    """Checks the ID token as an OpenID Connect client must: signature against the JWKS, issuer,
    audience, expiry and nonce."""
    config = discovery(server)
    jwks = requests.get(config["jwks_uri"], timeout=10).json()
    claims = jwt.decode(
        id_token, JsonWebKey.import_key_set(jwks), claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": config["issuer"]}},
        claims_params={"nonce": nonce, "client_id": recipient.client_id},
    )
    claims.validate()
    return dict(claims)


SUB_RE = re.compile(r"^[A-Za-z0-9_-]{7,}$")
