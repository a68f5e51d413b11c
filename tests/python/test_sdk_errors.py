"""Errors and transport with Codat's official Python SDK (codat-bankfeeds 13.0.0) against the real
server: wrong keys, other tenants, malformed bodies, server URLs and idempotency keys.

Every expectation comes from Codat's documentation (transport, endpoints and success codes,
behaviour, models, SDK behaviour) and the product spec, never from the implementation. The SDK
itself enforces the exact success codes (it raises SDKError on any other status, 2xx included) and
the response models (pydantic), so a call that returns at all has already passed those checks.
"""

from __future__ import annotations

import json
import uuid

import pytest

from codat_bankfeeds.models import errors, shared

from support import assert_error_message, unique
from support.sdk import new_company, new_connection, v2_account, cc, page_ids


def test_wrong_api_key_is_401(make_sdk, raw_factory):
    bad = make_sdk(key="not-a-real-feedbridge-key")
    with pytest.raises(errors.ErrorMessage) as ei:
        bad.companies.list()
    assert ei.value.status_code == 401
    assert ei.value.data.status_code == 401
    assert isinstance(ei.value.data.can_be_retried, str)

    r = raw_factory("not-a-real-feedbridge-key").get("/companies")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/json")
    assert_error_message(r.json(), 401)


def test_missing_authorization_is_401(raw_factory):
    r = raw_factory(None).get("/companies")
    assert r.status_code == 401
    assert_error_message(r.json(), 401)


def test_other_tenant_gets_404_for_everything(sdk, make_sdk, other_api_key, raw_factory):
    token = unique("Priv")
    mine = new_company(sdk, f"Private{token}", description="private")
    conn = new_connection(sdk, mine.id)
    acc = f"acc-{unique()}"
    sdk.source_accounts.create(request={**cc(mine.id, conn.id), "request_body": v2_account(acc)})
    other = make_sdk(key=other_api_key)
    missing = str(uuid.uuid4())

    def status_of(call):
        with pytest.raises(errors.ErrorMessage) as ei:
            call()
        return ei.value

    calls = {
        "get company": lambda: other.companies.get(request={"company_id": mine.id}),
        "update company": lambda: other.companies.update(
            request={"company_id": mine.id, "company_update_request": {"name": "Hijacked"}}),
        "replace company": lambda: other.companies.replace(
            request={"company_id": mine.id, "company_request_body": {"name": "Hijacked"}}),
        "delete company": lambda: other.companies.delete(request={"company_id": mine.id}),
        "list connections": lambda: other.connections.list(request={"company_id": mine.id}),
        "create connection": lambda: new_connection(other, mine.id),
        "get connection": lambda: other.connections.get(request=cc(mine.id, conn.id)),
        "unlink connection": lambda: other.connections.unlink(
            request={**cc(mine.id, conn.id), "request_body": {"status": "Unlinked"}}),
        "delete connection": lambda: other.connections.delete(request=cc(mine.id, conn.id)),
        "list source accounts": lambda: other.source_accounts.list(request=cc(mine.id, conn.id)),
        "delete source account": lambda: other.source_accounts.delete(
            request={**cc(mine.id, conn.id), "account_id": acc}),
        "generate credentials": lambda: other.source_accounts.generate_credentials(
            request={**cc(mine.id, conn.id), "request_body": b"{}"}),
        "generate otp": lambda: other.source_accounts.generate_otp(request=cc(mine.id, conn.id)),
        "list push operations": lambda: other.transactions.list_create_operations(
            request={"company_id": mine.id}),
    }
    for what, call in calls.items():
        err = status_of(call)
        assert err.status_code == 404, f"{what}: {err.status_code}"
        assert err.data.status_code == 404, what

    # The same answer as for an id that does not exist.
    theirs = status_of(lambda: other.companies.get(request={"company_id": mine.id}))
    nothing = status_of(lambda: other.companies.get(request={"company_id": missing}))
    assert theirs.data.error.replace(mine.id, "ID") == nothing.data.error.replace(missing, "ID")

    assert other.companies.list(request={"query": f"name~{token}"}).total_results == 0
    r = raw_factory(other_api_key).get(f"/companies/{mine.id}")
    assert r.status_code == 404
    assert_error_message(r.json(), 404)

    # Nothing was changed or removed.
    still = sdk.companies.get(request={"company_id": mine.id})
    assert still.name == mine.name and still.description == "private"
    assert sdk.connections.get(request=cc(mine.id, conn.id)).status == shared.DataConnectionStatus.PENDING_AUTH
    assert [a.id for a in sdk.source_accounts.list(request=cc(mine.id, conn.id))] == [acc]


def test_malformed_json_is_400(raw):
    r = raw.post("/companies", data=b'{"name": "Broken', headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert_error_message(r.json(), 400)


def test_malformed_json_on_source_account_is_400(raw, sdk, connection):
    company_id = connection.company_id
    r = raw.post(
        f"/companies/{company_id}/connections/{connection.id}/connectionInfo/bankFeedAccounts",
        data=b"[{,", headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 400, r.text
    assert_error_message(r.json(), 400)


def test_server_url_with_trailing_slash(make_sdk, base_url, recorder):
    slashed = make_sdk(server_url=base_url + "/")
    token = unique("Slash")
    created = new_company(slashed, f"Slash{token}")
    assert slashed.companies.get(request={"company_id": created.id}).id == created.id
    assert created.id in page_ids(slashed.companies.list(request={"query": f"name~{token}"}))
    conn = new_connection(slashed, created.id)
    assert slashed.connections.get(request=cc(created.id, conn.id)).id == conn.id

    # The SDK really puts a double slash on the wire.
    recorded = make_sdk(server_url=base_url + "/", recorder=recorder)
    recorded.companies.get(request={"company_id": created.id})
    assert recorder.last.path.startswith("//companies/")
    assert recorder.last.status == 200


def test_idempotency_key_replays_the_first_response(make_sdk, recorder):
    sdk = make_sdk(recorder=recorder)
    key = str(uuid.uuid4())
    token = unique("Idem")
    name = f"Idem {token}"
    first = sdk.companies.create(request={"name": name}, http_headers={"Idempotency-Key": key})
    assert recorder.last.request_headers.get("idempotency-key") == key
    again = sdk.companies.create(request={"name": name}, http_headers={"Idempotency-Key": key})
    assert again.id == first.id
    assert again.name == first.name
    assert sdk.companies.list(request={"query": f"name~{token}"}).total_results == 1

    with pytest.raises(errors.SDKError) as ei:
        sdk.companies.create(request={"name": name + " Changed"}, http_headers={"Idempotency-Key": key})
    assert ei.value.status_code == 422
    assert_error_message(json.loads(ei.value.body), 422)
    assert sdk.companies.list(request={"query": f"name~{token}"}).total_results == 1


def test_idempotency_keys_are_scoped_to_the_client(make_sdk, other_api_key):
    mine, theirs = make_sdk(), make_sdk(key=other_api_key)
    key = str(uuid.uuid4())
    name = f"Idem Scope {unique()}"
    a = mine.companies.create(request={"name": name}, http_headers={"Idempotency-Key": key})
    b = theirs.companies.create(request={"name": name}, http_headers={"Idempotency-Key": key})
    assert a.id != b.id
    assert theirs.companies.get(request={"company_id": b.id}).id == b.id
    with pytest.raises(errors.ErrorMessage) as ei:
        theirs.companies.get(request={"company_id": a.id})
    assert ei.value.status_code == 404


def test_idempotency_key_on_connection_create(sdk, company):
    key = str(uuid.uuid4())
    body = {"company_id": company.id, "request_body": {"platform_key": "hcws"}}
    first = sdk.connections.create(request=body, http_headers={"Idempotency-Key": key})
    again = sdk.connections.create(request=body, http_headers={"Idempotency-Key": key})
    assert again.id == first.id
    assert sdk.connections.list(request={"company_id": company.id}).total_results == 1
