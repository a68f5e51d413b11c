"""Connections through Codat's official Python SDK (codat-bankfeeds 13.0.0) against the real
server: create, read and list with fresh link URLs, unlink, delete, unknown ids.

Every expectation comes from Codat's documentation (transport, endpoints and success codes,
behaviour, models, SDK behaviour) and the product spec, never from the implementation. The SDK
itself enforces the exact success codes (it raises SDKError on any other status, 2xx included) and
the response models (pydantic), so a call that returns at all has already passed those checks.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlparse

import pytest

from codat_bankfeeds.models import errors, shared

from support.sdk import (
    UUID_RE, MALFORMED_QUERY, parse_dt, new_connection, cc, page_ids, assert_link_url,
)


def test_create_connection_hcws(rec_sdk, recorder, company, base_url):
    conn = new_connection(rec_sdk, company.id)
    assert recorder.last.status == 200
    assert recorder.last.request_json() == {"platformKey": "hcws"}
    assert UUID_RE.match(conn.id)
    assert UUID_RE.match(conn.integration_id)
    assert UUID_RE.match(conn.source_id)
    assert conn.status == shared.DataConnectionStatus.PENDING_AUTH
    assert recorder.last.json()["status"] == "PendingAuth"
    assert recorder.last.json()["sourceType"] == "BankFeed"
    assert conn.platform_name == "QuickBooks Online Bank Feeds"
    assert conn.integration_key == "hcws"
    parse_dt(conn.created)
    assert_link_url(conn.link_url, base_url, company.id, conn.id)


def test_get_and_list_connection_mint_fresh_link_tokens(sdk, company, base_url):
    conn = new_connection(sdk, company.id)
    tokens = [assert_link_url(conn.link_url, base_url, company.id, conn.id)]
    for _ in range(2):
        got = sdk.connections.get(request=cc(company.id, conn.id))
        assert got.id == conn.id and got.status == shared.DataConnectionStatus.PENDING_AUTH
        tokens.append(assert_link_url(got.link_url, base_url, company.id, conn.id))
    for _ in range(2):
        page = sdk.connections.list(request={"company_id": company.id})
        [listed] = [c for c in page.results if c.id == conn.id]
        tokens.append(assert_link_url(listed.link_url, base_url, company.id, conn.id))
    assert len(set(tokens)) == len(tokens), f"link tokens repeat: {tokens}"


def test_list_connections_paging_and_query(sdk, company, raw, base_url):
    first = new_connection(sdk, company.id)
    second = new_connection(sdk, company.id)

    page = sdk.connections.list(request={"company_id": company.id})
    assert page.total_results == 2
    assert {c.id for c in page.results} == {first.id, second.id}
    assert urlparse(page.links.self_.href).path == f"/companies/{company.id}/connections"

    p1 = sdk.connections.list(request={"company_id": company.id, "page": 1, "page_size": 1})
    p2 = sdk.connections.list(request={"company_id": company.id, "page": 2, "page_size": 1})
    assert p1.total_results == p2.total_results == 2
    assert len(p1.results) == len(p2.results) == 1
    assert {p1.results[0].id, p2.results[0].id} == {first.id, second.id}
    assert p1.links.next is not None and p2.links.next is None

    sdk.connections.unlink(request={**cc(company.id, second.id), "request_body": {"status": "Unlinked"}})
    unlinked = sdk.connections.list(request={"company_id": company.id, "query": "status=Unlinked"})
    assert page_ids(unlinked) == [second.id]
    pending = sdk.connections.list(request={"company_id": company.id, "query": "status=PendingAuth"})
    assert page_ids(pending) == [first.id]

    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.connections.list(request={"company_id": company.id, "query": "{status=Linked"})
    assert ei.value.status_code == 400 and ei.value.data.error == MALFORMED_QUERY


def test_unlink_connection(rec_sdk, recorder, company):
    conn = new_connection(rec_sdk, company.id)
    res = rec_sdk.connections.unlink(
        request={**cc(company.id, conn.id), "request_body": {"status": "Unlinked"}}
    )
    assert recorder.last.method == "PATCH"
    assert recorder.last.request_json() == {"status": "Unlinked"}
    assert recorder.last.status == 200
    assert res.id == conn.id
    assert res.status == shared.DataConnectionStatus.UNLINKED
    got = rec_sdk.connections.get(request=cc(company.id, conn.id))
    assert got.status == shared.DataConnectionStatus.UNLINKED


def test_delete_connection_is_200_with_empty_body(rec_sdk, recorder, company):
    conn = new_connection(rec_sdk, company.id)
    assert rec_sdk.connections.delete(request=cc(company.id, conn.id)) is None
    assert recorder.last.method == "DELETE"
    assert recorder.last.status == 200
    assert recorder.last.body.strip() == b""
    with pytest.raises(errors.ErrorMessage) as ei:
        rec_sdk.connections.get(request=cc(company.id, conn.id))
    assert ei.value.status_code == 404
    listed = rec_sdk.connections.list(request={"company_id": company.id})
    assert conn.id not in page_ids(listed)


def test_connection_of_unknown_company_is_404(sdk):
    with pytest.raises(errors.ErrorMessage) as ei:
        new_connection(sdk, str(uuid.uuid4()))
    assert ei.value.status_code == 404


def test_unknown_connection_is_404(sdk, company):
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.connections.get(request=cc(company.id, str(uuid.uuid4())))
    assert ei.value.status_code == 404
    assert ei.value.data.status_code == 404
