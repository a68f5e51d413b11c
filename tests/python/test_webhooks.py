"""Webhooks end to end: a receiver on 127.0.0.1 registered through the API gets every event of
its tenant, each verified with the independent PyPI `standardwebhooks` library.

The shared test server runs with FEEDBRIDGE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true (see conftest.py),
which is what lets a loopback receiver register at all.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
import standardwebhooks.webhooks as swh
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from support import Receiver, assert_error_message, unique
from support.webhooks import WAIT_S

CREDENTIALS = "/companies/{c}/connections/{n}/connectionInfo/bankFeedAccounts/credentials"


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def endpoint(raw, receiver):
    """An endpoint of tenant "Tests" pointing at the receiver, removed afterwards."""
    resp = raw.post("/webhooks/endpoints", json={"url": receiver.url, "description": "tests"})
    assert resp.status_code == 200, resp.text
    created = resp.json()
    yield created
    raw.delete(f"/webhooks/endpoints/{created['id']}")


def trigger_lifecycle(raw, sdk) -> str:
    """Creates a company and runs a connection through every state change the API offers."""
    company = sdk.companies.create(request={"name": f"Hooks Co {unique()}"})
    conn = raw.post(f"/companies/{company.id}/connections", json={"platformKey": "hcws"}).json()
    creds = CREDENTIALS.format(c=company.id, n=conn["id"])
    assert raw.post(creds).status_code == 200
    assert raw.delete(creds).status_code in (200, 204)
    unlinked = raw.patch(f"/companies/{company.id}/connections/{conn['id']}",
                         json={"status": "Unlinked"})
    assert unlinked.status_code == 200, unlinked.text
    assert raw.delete(f"/companies/{company.id}/connections/{conn['id']}").status_code == 200
    return company.id


LIFECYCLE = {
    "connection.created",
    "bankFeeds.credentials.generated",
    "bankFeeds.credentials.revoked",
    "connection.disconnected",
    "connection.deleted",
}


def test_create_answers_the_secret_once(raw, endpoint, receiver):
    assert set(endpoint) >= {"id", "url", "eventTypes", "secret", "createdOn"}
    assert endpoint["secret"].startswith("whsec_")
    assert endpoint["url"] == receiver.url
    listed = raw.get("/webhooks/endpoints").json()
    mine = [e for e in listed if e["id"] == endpoint["id"]]
    assert len(mine) == 1 and "secret" not in mine[0]


def test_every_delivery_verifies_with_standardwebhooks(raw, sdk, endpoint, receiver):
    company_id = trigger_lifecycle(raw, sdk)
    got = receiver.wait_for(company_id, LIFECYCLE)
    hook = Webhook(endpoint["secret"])
    for headers, body in got:
        event = hook.verify(body, headers)
        assert headers["webhook-id"] == event["id"] == headers["svix-id"]
        assert headers["svix-timestamp"] == headers["webhook-timestamp"]
        assert headers["svix-signature"] == headers["webhook-signature"]
        assert headers["content-type"] == "application/json"
        assert set(event) == {"id", "eventType", "generatedDate", "payload"}
        assert event["generatedDate"].endswith("Z")
        assert event["payload"]["referenceCompany"]["id"] == company_id
        if event["eventType"].startswith("connection."):
            assert event["payload"]["connection"]["id"]
        else:
            assert event["payload"]["connectionId"]


def test_tampering_and_stale_timestamps_fail(raw, sdk, endpoint, receiver, monkeypatch):
    company_id = trigger_lifecycle(raw, sdk)
    headers, body = receiver.wait_for(company_id, {"connection.created"})[0]
    hook = Webhook(endpoint["secret"])
    hook.verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        hook.verify(body.replace(b"connection", b"c0nnection", 1), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(body, headers)

    class Later(datetime):
        shift = timedelta(minutes=6)

        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz=tz or timezone.utc) + cls.shift

    monkeypatch.setattr(swh, "datetime", Later)
    with pytest.raises(WebhookVerificationError):
        hook.verify(body, headers)
    Later.shift = timedelta(minutes=4)
    hook.verify(body, headers)


def test_event_type_filter_and_tenant_isolation(raw, raw_factory, other_api_key, sdk, receiver):
    resp = raw.post("/webhooks/endpoints",
                    json={"url": receiver.url, "eventTypes": ["connection.deleted"]})
    assert resp.status_code == 200, resp.text
    endpoint = resp.json()
    try:
        assert endpoint["eventTypes"] == ["connection.deleted"]
        other = raw_factory(other_api_key)
        assert other.delete(f"/webhooks/endpoints/{endpoint['id']}").status_code == 404
        assert other.post(f"/webhooks/endpoints/{endpoint['id']}/rotateSecret").status_code == 404
        company_id = trigger_lifecycle(raw, sdk)
        receiver.wait_for(company_id, {"connection.deleted"})
        time.sleep(1.0)
        types = [json.loads(b)["eventType"] for _, b in receiver.for_company(company_id)]
        assert types == ["connection.deleted"]
    finally:
        assert raw.delete(f"/webhooks/endpoints/{endpoint['id']}").status_code == 204


def test_rotation_signs_with_old_and_new_secret(raw, sdk, endpoint, receiver):
    resp = raw.post(f"/webhooks/endpoints/{endpoint['id']}/rotateSecret")
    assert resp.status_code == 200, resp.text
    new = resp.json()["secret"]
    assert new.startswith("whsec_") and new != endpoint["secret"]
    company_id = trigger_lifecycle(raw, sdk)
    headers, body = receiver.wait_for(company_id, {"connection.created"})[0]
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(body, headers)
    Webhook(endpoint["secret"]).verify(body, headers)


@pytest.mark.parametrize("body,needle", [
    ({"url": "not a url"}, "url"),
    ({"url": "http://127.0.0.1/x", "eventTypes": ["no.such.event"]}, "eventTypes"),
    ({"url": "ftp://example.com/"}, "https"),
    ({}, "url"),
])
def test_bad_endpoints_are_refused_and_nothing_is_stored(raw, body, needle):
    before = raw.get("/webhooks/endpoints").json()
    resp = raw.post("/webhooks/endpoints", json=body)
    assert resp.status_code == 400, resp.text
    assert_error_message(resp.json(), 400)
    assert needle in resp.json()["error"]
    assert raw.get("/webhooks/endpoints").json() == before


def test_deliveries_are_listed_and_can_be_redelivered(raw, sdk, endpoint, receiver, raw_factory,
                                                      other_api_key):
    company_id = trigger_lifecycle(raw, sdk)
    receiver.wait_for(company_id, LIFECYCLE)
    page = raw.get("/webhooks/deliveries", params={"status": "delivered", "pageSize": 500}).json()
    assert {"results", "pageNumber", "pageSize", "totalResults", "_links"} <= set(page)
    mine = [d for d in page["results"] if d["endpointId"] == endpoint["id"]]
    assert mine and all(d["status"] == "delivered" and d["attempts"] == 1 for d in mine)
    assert raw.get("/webhooks/deliveries", params={"status": "bogus"}).status_code == 400
    failed = raw.get("/webhooks/deliveries", params={"status": "failed"}).json()["results"]
    assert all(d["status"] == "failed" for d in failed)
    target = mine[0]
    other = raw_factory(other_api_key)
    assert other.post(f"/webhooks/deliveries/{target['id']}/redeliver").status_code == 404
    count = len(receiver.for_company(company_id))
    assert raw.post(f"/webhooks/deliveries/{target['id']}/redeliver").status_code == 202
    deadline = time.monotonic() + WAIT_S
    while len(receiver.for_company(company_id)) == count and time.monotonic() < deadline:
        time.sleep(0.1)
    again = receiver.for_company(company_id)
    assert len(again) == count + 1
    assert again[-1][0]["webhook-id"] == target["eventId"]
