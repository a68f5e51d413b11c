"""Talking to the client API: the Basic scheme, plain HTTP beside the SDK, a recorder of the
SDK's exchanges, and the checks every error body must pass."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any, Optional

import httpx
import requests


def basic(key: str) -> str:
    """The Authorization header value: `Basic ` + base64(key) (Codat's scheme)."""
    return "Basic " + base64.b64encode(key.encode()).decode()


class Exchange:
    """One HTTP exchange recorded from the SDK's httpx client."""

    def __init__(self, request: httpx.Request, response: httpx.Response) -> None:
        self.method = request.method
        self.url = str(request.url)
        self.path = request.url.path
        self.request_headers = dict(request.headers)
        self.request_body = request.content
        self.status = response.status_code
        self.headers = response.headers
        self.body = response.content

    def json(self) -> Any:
        return json.loads(self.body)

    def request_json(self) -> Any:
        return json.loads(self.request_body)

    def __repr__(self) -> str:
        return f"<{self.method} {self.url} -> {self.status}>"


class Recorder:
    """An httpx.Client (the SDK's documented `client=` hook) that keeps every exchange."""

    def __init__(self) -> None:
        self.exchanges: list[Exchange] = []
        self.client = httpx.Client(event_hooks={"response": [self._on_response]})

    def _on_response(self, response: httpx.Response) -> None:
        response.read()
        self.exchanges.append(Exchange(response.request, response))

    @property
    def last(self) -> Exchange:
        assert self.exchanges, "no HTTP exchange recorded"
        return self.exchanges[-1]

    def close(self) -> None:
        self.client.close()


class RawApi:
    """Plain HTTP (requests) against the server, for checks the SDK cannot express."""

    def __init__(self, base_url: str, key: Optional[str]) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        if key is not None:
            self.session.headers["Authorization"] = basic(key)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("allow_redirects", False)
        url = path if path.startswith("http") else self.base_url + path
        return self.session.request(method, url, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def close(self) -> None:
        self.session.close()


def unique(prefix: str = "T") -> str:
    """A token made only of characters allowed in company names (letters and digits)."""
    return prefix + uuid.uuid4().hex[:12]


def assert_error_message(body: Any, status: int) -> None:
    """`body` (parsed JSON) is Codat's ErrorMessage for HTTP `status` (codat-api.md §2.4)."""
    assert isinstance(body, dict), f"error body is not a JSON object: {body!r}"
    assert body.get("statusCode") == status, body
    assert isinstance(body.get("error"), str) and body["error"], body
    assert isinstance(body.get("canBeRetried"), str), f"canBeRetried must be a string: {body!r}"
    assert isinstance(body.get("correlationId"), str) and body["correlationId"], body
    if "service" in body and body["service"] is not None:
        assert isinstance(body["service"], str), body
    if body.get("detailedErrorCode") is not None:
        assert isinstance(body["detailedErrorCode"], int), body
