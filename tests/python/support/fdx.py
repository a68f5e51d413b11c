"""FDX as a data recipient reads it: a consent granted through the hosted sign-in (authlib plus a
plain browser session), then `/fdx/v6` with the access token, through plain HTTP or the
APIMatic FDX SDK (`fdx-api-sdk-python`) pointed at the institution's server.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from typing import Optional

import requests
from authlib.common.security import generate_token
from fdxapi.configuration import Configuration, Server
from fdxapi.fdxapi_client import FdxapiClient
from fdxapi.http.auth.bearer_auth import BearerAuthCredentials

from .oidc import Browser, client, discovery, signed_in


@dataclass
class Grant:
    """A consent and the tokens its recipient received."""
    acc: dict
    tokens: dict
    flow: object

    @property
    def access_token(self) -> str:
        return self.tokens["access_token"]

    @property
    def consent_id(self) -> str:
        payload = self.access_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return claims["fdxConsentId"]


def consent(server, recipient, acc: dict, accounts: Optional[list[str]] = None) -> Grant:
    """The user of `acc` signs in, answers the prompt and allows `accounts` (default: all)."""
    c = client(server, recipient)
    verifier, nonce = generate_token(48), generate_token(16)
    config = discovery(server)
    url, state = c.create_authorization_url(config["authorization_endpoint"],
                                            code_verifier=verifier, nonce=nonce)
    browser = Browser(server)
    page = signed_in(server, browser, url, acc["user"], acc["password"], acc["otp"])
    back = browser.consent(page, "allow", accounts)
    tokens = c.fetch_token(config["token_endpoint"], authorization_response=back.headers["location"],
                           code_verifier=verifier, state=state)
    return Grant(acc, tokens, c)


class Fdx:
    """Plain HTTP against `/fdx/v6` with a bearer token."""

    def __init__(self, server, token: str) -> None:
        self.base = f"{server.base_url}/fdx/v6"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params) -> requests.Response:
        return self.session.get(self.base + path, params=params, timeout=10)

    def put(self, path: str, body: dict) -> requests.Response:
        return self.session.put(self.base + path, json=body, timeout=10)

    def all_transactions(self, account: str, **params) -> list[dict]:
        """Every page of a window, following `page.nextPageKey`."""
        seen: list[dict] = []
        while True:
            res = self.get(f"/accounts/{account}/transactions", **params)
            assert res.status_code == 200, res.text
            body = res.json()
            seen += body["transactions"]
            key = body["page"].get("nextPageKey")
            if key is None:
                return seen
            params = {**params, "pageKey": key}


def fdx_error(res: requests.Response, status: int, code: int) -> dict:
    """Checks an FDX error answer: HTTP status, integer FDX code, a message."""
    assert res.status_code == status, (res.status_code, res.text)
    body = res.json()
    assert body["code"] == code and isinstance(body["code"], int), body
    assert body["message"], body
    return body


def sdk(server, token: str) -> FdxapiClient:
    """The APIMatic FDX SDK, its servers pointed at this institution's `/fdx/v6`."""
    base = f"{server.base_url}/fdx/v6"

    class Institution(Configuration):
        def get_base_uri(self, server=Server.CORE):
            return base

    config = Institution(bearer_auth_credentials=BearerAuthCredentials(token), timeout=10)
    return FdxapiClient(config=config)


def interaction_id() -> str:
    return str(uuid.uuid4())
