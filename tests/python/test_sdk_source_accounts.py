"""Source accounts through Codat's official Python SDK (codat-bankfeeds 13.0.0) against the real
server: the v1 and v2 shapes, batches (201, 207, 409), listing, updates and deletes.

Every expectation comes from Codat's documentation (transport, endpoints and success codes,
behaviour, models, SDK behaviour) and the product spec, never from the implementation. The SDK
itself enforces the exact success codes (it raises SDKError on any other status, 2xx included) and
the response models (pydantic), so a call that returns at all has already passed those checks.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from codat_bankfeeds.models import errors

from support import unique
from support.sdk import v1_account, v2_account, cc


def test_create_source_account_v1_shape(rec_sdk, recorder, connection):
    acc_id = f"acc-{unique()}"
    res = rec_sdk.source_accounts.create(
        request={**cc(connection.company_id, connection.id), "request_body": v1_account(acc_id)}
    )
    assert recorder.last.status == 200
    sent = recorder.last.request_json()
    assert sent["id"] == acc_id and sent["accountType"] == "Debit"
    body = recorder.last.json()
    assert body["id"] == acc_id
    assert body["accountName"] == "Operating account"
    assert body["accountType"] == "Debit"
    assert body["accountNumber"] == "12345670"
    assert body["sortCode"] == "12-34-56"
    assert body["currency"] == "USD"
    assert Decimal(str(body["balance"])) == Decimal("4002")
    assert body["status"] == "pending"
    # v1 echo: none of the v2-only fields.
    assert body.get("routingInfo") is None and body.get("accountInfo") is None
    assert res.id == acc_id


def test_create_source_account_v2_shape(rec_sdk, recorder, connection):
    company_id = connection.company_id
    acc_id = f"acc-{unique()}"
    res = rec_sdk.source_accounts.create(
        request={**cc(company_id, connection.id), "request_body": v2_account(acc_id)}
    )
    assert recorder.last.status == 200
    body = recorder.last.json()
    assert body["id"] == acc_id
    assert body["accountName"] == "Everyday checking"
    assert body["accountType"] == "checking"
    assert body["accountNumber"] == "000123456789"
    assert body["currency"] == "USD"
    assert Decimal(str(body["balance"])) == Decimal("1500.25")
    assert body["status"] == "pending"
    assert body["routingInfo"] == {"bankCode": "021000021", "type": "aba"}
    info = body["accountInfo"]
    assert info["description"] == "Business checking"
    assert info["nickname"] == "Main"
    assert info["accountOpenDate"] == "2020-01-15"
    assert Decimal(str(info["availableBalance"])) == Decimal("1400.25")
    assert res.id == acc_id

    listed = rec_sdk.source_accounts.list(request=cc(company_id, connection.id))
    assert isinstance(recorder.last.json(), list)
    [item] = [a for a in listed if a.id == acc_id]
    assert item.account_name == "Everyday checking"


def test_create_duplicate_source_account_is_400(sdk, connection):
    company_id = connection.company_id
    acc_id = f"acc-{unique()}"
    sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v2_account(acc_id)})
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.source_accounts.create(
            request={**cc(company_id, connection.id), "request_body": v2_account(acc_id, "Again")}
        )
    assert ei.value.status_code == 400
    listed = sdk.source_accounts.list(request=cc(company_id, connection.id))
    assert [a.account_name for a in listed if a.id == acc_id] == ["Everyday checking"]


def test_batch_create_all_new_is_201(rec_sdk, recorder, connection):
    company_id = connection.company_id
    ids = [f"acc-{unique()}" for _ in range(3)]
    res = rec_sdk.source_accounts.create_batch(
        request={**cc(company_id, connection.id), "request_body": [v2_account(i, f"Batch {n}") for n, i in enumerate(ids)]}
    )
    assert recorder.last.status == 201
    assert isinstance(recorder.last.request_json(), list)
    body = recorder.last.json()
    assert isinstance(body, list) and len(body) == 3
    assert [item["sourceAccountId"] for item in body] == ids
    for item in body:
        result = item["result"]
        assert isinstance(result["statusCode"], int) and 200 <= result["statusCode"] < 300, item
        assert result.get("error") is None
        assert result["account"]["id"] == item["sourceAccountId"]
        assert result["account"]["status"] == "pending"
    assert [r.source_account_id for r in res] == ids
    listed = {a.id for a in rec_sdk.source_accounts.list(request=cc(company_id, connection.id))}
    assert set(ids) <= listed


def test_batch_create_with_a_duplicate_is_207(rec_sdk, recorder, connection):
    company_id = connection.company_id
    existing = f"acc-{unique()}"
    fresh = f"acc-{unique()}"
    rec_sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v2_account(existing)})
    res = rec_sdk.source_accounts.create_batch(
        request={**cc(company_id, connection.id),
                 "request_body": [v2_account(existing, "Dup"), v2_account(fresh, "Fresh")]}
    )
    assert recorder.last.status == 207
    body = recorder.last.json()
    by_id = {item["sourceAccountId"]: item["result"] for item in body}
    assert set(by_id) == {existing, fresh}
    assert by_id[existing]["statusCode"] == 409  # an integer (codat-api.md §4.5)
    assert isinstance(by_id[existing]["error"], str) and by_id[existing]["error"]
    assert 200 <= by_id[fresh]["statusCode"] < 300
    assert by_id[fresh]["account"]["id"] == fresh
    assert len(res) == 2
    listed = {a.id: a for a in rec_sdk.source_accounts.list(request=cc(company_id, connection.id))}
    assert fresh in listed
    assert listed[existing].account_name == "Everyday checking"  # the duplicate changed nothing


def test_batch_create_all_conflicting_is_409(sdk, connection):
    company_id = connection.company_id
    acc = f"acc-{unique()}"
    sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v2_account(acc)})
    with pytest.raises(errors.SDKError) as ei:
        sdk.source_accounts.create_batch(
            request={**cc(company_id, connection.id), "request_body": [v2_account(acc, "Dup")]}
        )
    # A batch 409 raises SDKError carrying the array body (codat-api.md §9.2).
    assert ei.value.status_code == 409
    body = json.loads(ei.value.body)
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["sourceAccountId"] == acc
    assert body[0]["result"]["statusCode"] == 409


def test_list_source_accounts_is_a_bare_array(rec_sdk, recorder, connection):
    company_id = connection.company_id
    assert rec_sdk.source_accounts.list(request=cc(company_id, connection.id)) == []
    assert recorder.last.status == 200 and recorder.last.json() == []
    a, b = f"acc-{unique()}", f"acc-{unique()}"
    for acc in (a, b):
        rec_sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v2_account(acc)})
    listed = rec_sdk.source_accounts.list(request=cc(company_id, connection.id))
    body = recorder.last.json()
    assert isinstance(body, list)
    assert {item["id"] for item in body} == {a, b}
    assert all(item["status"] == "pending" for item in body)
    assert {x.id for x in listed} == {a, b}


def test_update_source_account(rec_sdk, recorder, connection):
    company_id = connection.company_id
    acc = f"acc-{unique()}"
    rec_sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v1_account(acc)})

    res = rec_sdk.source_accounts.update(
        request={**cc(company_id, connection.id), "account_id": acc,
                 "source_account": {"id": acc, "account_name": "Renamed account"}}
    )
    assert recorder.last.method == "PATCH"
    assert recorder.last.request_json() == {"id": acc, "accountName": "Renamed account"}
    assert res.id == acc
    assert res.account_name == "Renamed account"
    assert res.account_number == "12345670"
    assert res.currency == "USD"
    assert res.status == "pending"

    res = rec_sdk.source_accounts.update(
        request={**cc(company_id, connection.id), "account_id": acc,
                 "source_account": {"id": acc, "status": "disconnected"}}
    )
    assert res.status == "disconnected"
    assert res.account_name == "Renamed account"
    [listed] = [a for a in rec_sdk.source_accounts.list(request=cc(company_id, connection.id)) if a.id == acc]
    assert listed.status == "disconnected"
    assert listed.account_name == "Renamed account"


@pytest.mark.parametrize("status", ["connected", "pending"])
def test_update_source_account_status_only_to_disconnected(sdk, connection, status):
    company_id = connection.company_id
    acc = f"acc-{unique()}"
    sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v1_account(acc)})
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.source_accounts.update(
            request={**cc(company_id, connection.id), "account_id": acc,
                     "source_account": {"id": acc, "status": status}}
        )
    assert ei.value.status_code == 400


def test_update_unknown_source_account_is_404(sdk, connection):
    company_id = connection.company_id
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.source_accounts.update(
            request={**cc(company_id, connection.id), "account_id": "acc-missing",
                     "source_account": {"id": "acc-missing", "account_name": "x"}}
        )
    assert ei.value.status_code == 404


def test_delete_source_account(rec_sdk, recorder, connection):
    company_id = connection.company_id
    acc = f"acc-{unique()}"
    keep = f"acc-{unique()}"
    for a in (acc, keep):
        rec_sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v2_account(a)})
    assert rec_sdk.source_accounts.delete(request={**cc(company_id, connection.id), "account_id": acc}) is None
    assert recorder.last.status == 204
    assert {a.id for a in rec_sdk.source_accounts.list(request=cc(company_id, connection.id))} == {keep}
    with pytest.raises(errors.ErrorMessage) as ei:
        rec_sdk.source_accounts.delete(request={**cc(company_id, connection.id), "account_id": acc})
    assert ei.value.status_code == 404
