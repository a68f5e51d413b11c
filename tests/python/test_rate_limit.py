"""Per-client rate limiting as Codat's clients see it: `X-Rate-Limit-*` headers on every answer;
past the limit a 429 `ErrorMessage` with `Retry-After`, which Codat's SDK (through urllib3, its
default transport) honours by waiting and retrying until the next minute lets the request through.

The server runs on the wall clock and counts per clock minute, so the test starts at second 52 of
a minute: the refusal then comes with a short `Retry-After`.
"""

from __future__ import annotations

import time

import pytest
from codat_bankfeeds import CodatBankFeeds
from codat_bankfeeds.models import shared
from codat_bankfeeds.utils.retries import RetryConfig

from support import FeedbridgeServer, RawApi, assert_error_message, basic, create_api_key

LIMIT = 4


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("limited") / "data"
    data_dir.mkdir()
    env = {"FEEDBRIDGE_LIMITS_REQUESTS_PER_MINUTE": str(LIMIT)}
    keys = [create_api_key(name, data_dir, env=env) for name in ("Limited", "Neighbour")]
    server = FeedbridgeServer(data_dir, env=env).start()
    yield server, keys
    server.stop()


def second_52() -> None:
    """Waits for second 52 of a minute: room for the requests, and a short wait after them."""
    time.sleep((52 - time.time() % 60) % 60)


def test_headers_count_down_then_the_sdk_sees_429(limited):
    server, (key, neighbour) = limited
    second_52()
    raw = RawApi(server.base_url, key)
    for remaining in range(LIMIT - 1, -1, -1):
        r = raw.get("/companies")
        assert r.status_code == 200, r.text
        assert r.headers["X-Rate-Limit-Limit"] == str(LIMIT)
        assert r.headers["X-Rate-Limit-Remaining"] == str(remaining)
        assert int(r.headers["X-Rate-Limit-Reset"]) > time.time()

    r = raw.post("/companies", json={"name": "Refused"})
    assert r.status_code == 429
    assert_error_message(r.json(), 429)
    wait = int(r.headers["Retry-After"])
    assert 1 <= wait <= 8, wait
    assert r.headers["X-Rate-Limit-Remaining"] == "0"

    other = RawApi(server.base_url, neighbour).get("/companies")
    assert other.status_code == 200, "another client keeps its own allowance"
    assert other.headers["X-Rate-Limit-Remaining"] == str(LIMIT - 1)

    sdk = CodatBankFeeds(server_url=server.base_url,
                         security=shared.Security(auth_header=basic(key)),
                         retry_config=RetryConfig("none"))
    started = time.monotonic()
    page = sdk.companies.list(request={"page": 1})
    waited = time.monotonic() - started
    assert wait - 1 <= waited <= wait + 5, (wait, waited)
    assert page.total_results == 0, "the refused create changed nothing"

