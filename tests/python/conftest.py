"""Fixtures that run the real `feedbridge` binary and talk to it (the helpers they use live in
the `support` package).

One server is started per test session on 127.0.0.1 with a free port and a fresh data directory.
Two tenants (clients) exist before it starts: "Tests" (`api_key`) and "Other" (`other_api_key`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Callable, Optional

import pytest

from codat_bankfeeds import CodatBankFeeds
from codat_bankfeeds.models import shared
from codat_bankfeeds.utils import RetryConfig

from support import (
    FeedbridgeServer, RawApi, Recorder, basic, create_api_key, drop_test_databases, unique,
)


# --------------------------------------------------------------------------- server

@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    yield
    drop_test_databases()


@pytest.fixture(scope="session")
def feedbridge(tmp_path_factory) -> FeedbridgeServer:
    """The session's server. API keys for two tenants are created before it starts."""
    root = tmp_path_factory.mktemp("feedbridge")
    data_dir = root / "data"
    data_dir.mkdir()
    keys = {
        "primary": create_api_key("Tests", data_dir),
        "other": create_api_key("Other", data_dir),
    }
    server = FeedbridgeServer(data_dir)
    server.keys = keys  # type: ignore[attr-defined]
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(feedbridge) -> str:
    """`http://127.0.0.1:PORT`, exactly as printed on the `listening on` line."""
    return feedbridge.base_url


@pytest.fixture(scope="session")
def api_key(feedbridge) -> str:
    return feedbridge.keys["primary"]


@pytest.fixture(scope="session")
def other_api_key(feedbridge) -> str:
    """A key of a second tenant (`apikey create --name Other`)."""
    return feedbridge.keys["other"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, attach the tail of the server's stderr to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        server = getattr(item, "funcargs", {}).get("feedbridge")
        if server is not None:
            state = "running" if server.alive() else f"exited with {server.proc.returncode}"
            report.sections.append(
                ("feedbridge server stderr (tail)", f"[server {state}]\n" + server.stderr_tail())
            )


@pytest.fixture(autouse=True)
def _server_still_running(request):
    """Fails a test loudly if the server died while it ran."""
    yield
    if "feedbridge" in request.fixturenames:
        server = request.getfixturevalue("feedbridge")
        if not server.alive():
            pytest.fail("the feedbridge server exited during this test:\n" + server.stderr_tail(),
                        pytrace=False)


# --------------------------------------------------------------------------- clients

@pytest.fixture
def make_sdk(base_url, api_key) -> Callable[..., CodatBankFeeds]:
    """Factory for the official SDK client, pointed at the server, retries off.

    make_sdk()                       -> tenant "Tests", default urllib3 transport
    make_sdk(key=other_api_key)      -> another tenant
    make_sdk(server_url=base_url+"/")
    make_sdk(recorder=Recorder())    -> goes through httpx and records raw exchanges
    """
    recorders: list[Recorder] = []

    def make(key: Optional[str] = None, *, server_url: Optional[str] = None,
             recorder: Optional[Recorder] = None) -> CodatBankFeeds:
        kwargs: dict = dict(
            server_url=server_url if server_url is not None else base_url,
            security=shared.Security(auth_header=basic(key if key is not None else api_key)),
            retry_config=RetryConfig("none"),
        )
        if recorder is not None:
            recorders.append(recorder)
            kwargs["client"] = recorder.client
        return CodatBankFeeds(**kwargs)

    yield make
    for r in recorders:
        r.close()


@pytest.fixture
def sdk(make_sdk) -> CodatBankFeeds:
    return make_sdk()


@pytest.fixture
def recorder() -> Recorder:
    rec = Recorder()
    yield rec
    rec.close()


@pytest.fixture
def rec_sdk(make_sdk, recorder) -> CodatBankFeeds:
    """The SDK for tenant "Tests", recording into the `recorder` fixture."""
    return make_sdk(recorder=recorder)


@pytest.fixture
def raw(base_url, api_key):
    """RawApi authenticated as tenant "Tests"; `raw_factory(key)` for anything else."""
    api = RawApi(base_url, api_key)
    yield api
    api.close()


@pytest.fixture
def raw_factory(base_url):
    made: list[RawApi] = []

    def make(key: Optional[str]) -> RawApi:
        api = RawApi(base_url, key)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def company(sdk):
    """A fresh company of tenant "Tests"."""
    return sdk.companies.create(request={"name": f"Fixture Co {unique()}"})


@pytest.fixture
def connection(sdk, company):
    """A fresh QBO Bank Feeds (`hcws`) connection on a fresh company.

    Has `.company_id`, `.id`, `.link_url` and `.model` (the SDK's Connection).
    """
    conn = sdk.connections.create(
        request={"company_id": company.id, "request_body": {"platform_key": "hcws"}}
    )
    return SimpleNamespace(company_id=company.id, id=conn.id, link_url=conn.link_url, model=conn)
