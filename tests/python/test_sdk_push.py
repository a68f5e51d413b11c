"""Pushing bank transactions with Codat's official Python SDK (SPEC §7).

The SDK sends amounts as JSON floats (`4002.0`); the server keeps them exact. A push is
answered with HTTP 200 and the finished push operation: `Success`, or `Failed` with
validation errors and nothing stored.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from codat_bankfeeds.models import errors, shared

from support import unique
from support.ofx import sgml_statement_request
from support.sdk import UUID_RE, cc, parse_dt, v2_account

def today() -> str:
    # The test server runs in its default time zone, UTC.
    return datetime.now(timezone.utc).date().isoformat()


def new_account(sdk, connection) -> str:
    account_id = f"acc-{unique()}"
    sdk.source_accounts.create(request={
        **cc(connection.company_id, connection.id),
        "request_body": shared.SourceAccountV2Prototype(
            id=account_id, account_name="Business checking", account_type="checking",
            account_number="000123456789", currency="USD", balance=Decimal("1500.25"),
        ),
    })
    return account_id


def push(sdk, connection, account_id: str, transactions: list[dict]):
    return sdk.transactions.create(request={
        **cc(connection.company_id, connection.id),
        "account_id": account_id,
        "create_bank_transactions": {"account_id": account_id, "transactions": transactions},
    })


@pytest.fixture
def connected_account(sdk, raw, connection) -> str:
    """A source account connected the real way: the accounting platform downloads a statement
    over OFX with generated credentials, answering the authentication prompt with the
    connection's confirmation code in the same sign-on."""
    account_id = new_account(sdk, connection)
    creds = sdk.source_accounts.generate_credentials(
        request={**cc(connection.company_id, connection.id), "request_body": b"{}"}
    )
    otp = raw.post(f"/companies/{connection.company_id}/connections/{connection.id}/bankFeeds/otp")
    assert otp.status_code == 200, otp.text
    body = sgml_statement_request(creds.username, creds.password, account_id, unique(),
                                  code=otp.json()["otp"])
    r = raw.post("/ofx", data=body.encode(), headers={"Content-Type": "application/x-ofx"})
    assert r.status_code == 200, r.text
    accounts = sdk.source_accounts.list(request=cc(connection.company_id, connection.id))
    status = {a.id: a.status for a in accounts}.get(account_id)
    assert status == "connected", f"the statement download did not connect {account_id}: {status}"
    return account_id


def test_a_valid_push_succeeds_and_is_listed(sdk, connection, connected_account):
    day = today()
    res = push(sdk, connection, connected_account, [
        {"id": "t1", "date_": f"{day}T09:00:00", "description": "Deposit",
         "amount": Decimal("4002"), "balance": Decimal("5502.25"), "transaction_type": "Credit"},
        {"id": "t2", "date_": f"{day}T10:00:00", "description": "Coffee",
         "amount": Decimal("-4.50"), "balance": Decimal("5497.75"), "transaction_type": "Debit"},
    ])
    assert res.status == shared.PushOperationStatus.SUCCESS
    assert res.status_code == 200
    assert [c.record_ref.id for c in res.changes] == ["t1", "t2"]
    ok = sdk.transactions.list_create_operations(
        request={"company_id": connection.company_id, "query": "status=Success"}
    )
    assert res.push_operation_key in [op.push_operation_key for op in ok.results]


def test_a_failing_push_lists_every_validation_error(sdk, connection):
    account_id = new_account(sdk, connection)
    day = today()
    res = push(sdk, connection, account_id, [
        {"id": "t1", "date_": f"{day}T09:00:00", "description": "Fee",
         "amount": Decimal("-0.105"), "transaction_type": "Debit"},
        {"id": "t2", "date_": f"{day}T10:00:00", "description": "Refund",
         "amount": Decimal("3.00"), "transaction_type": "Unknown"},
    ])
    assert res.status == shared.PushOperationStatus.FAILED
    assert res.status_code == 400
    assert res.error_message
    errors = {(e.item_id, e.validator_name) for e in res.validation.errors}
    assert (account_id, "AccountNotConnected") in errors, errors
    assert ("t1", "DecimalPlaces") in errors, errors
    assert all(e.message for e in res.validation.errors)
    assert not res.changes

    got = sdk.transactions.get_create_operation(
        request={"company_id": connection.company_id, "push_operation_key": res.push_operation_key}
    )
    assert got.status == shared.PushOperationStatus.FAILED
    assert {(e.item_id, e.validator_name) for e in got.validation.errors} == errors

    failed = sdk.transactions.list_create_operations(request={
        "company_id": connection.company_id, "query": "status=Failed", "order_by": "-requestedOnUtc",
    })
    assert [op.push_operation_key for op in failed.results] == [res.push_operation_key]
    ok = sdk.transactions.list_create_operations(
        request={"company_id": connection.company_id, "query": "status=Success"}
    )
    assert ok.total_results == 0


# --------------------------------------------------------------------------- push operations

def test_list_create_operations_empty_page(rec_sdk, recorder, company):
    page = rec_sdk.transactions.list_create_operations(request={"company_id": company.id})
    assert recorder.last.status == 200
    assert page.total_results == 0
    assert not page.results
    assert page.page_number == 1 and page.page_size == 100
    assert urlparse(page.links.self_.href).path == f"/companies/{company.id}/push"


def test_get_unknown_create_operation_is_404(sdk, company):
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.transactions.get_create_operation(
            request={"company_id": company.id, "push_operation_key": str(uuid.uuid4())}
        )
    assert ei.value.status_code == 404
    assert ei.value.data.status_code == 404
    assert isinstance(ei.value.data.can_be_retried, str)


def test_create_bank_transactions_for_an_account_not_connected_fails(rec_sdk, recorder, connection):
    """SPEC §7: an account that is not `connected` is a validation error; the request is still
    answered with HTTP 200 and the (Failed) push operation, and nothing is stored."""
    company_id = connection.company_id
    acc = f"acc-{unique()}"
    rec_sdk.source_accounts.create(request={**cc(company_id, connection.id), "request_body": v2_account(acc)})
    today = datetime.now(timezone.utc).date().isoformat()
    res = rec_sdk.transactions.create(request={
        **cc(company_id, connection.id),
        "account_id": acc,
        "create_bank_transactions": {
            "account_id": acc,
            "transactions": [{
                "id": "t1", "date_": f"{today}T00:00:00", "description": "Coffee",
                "amount": Decimal("-4.50"), "balance": Decimal("1495.75"), "transaction_type": "Debit",
            }],
        },
    })
    assert recorder.last.status == 200
    assert "allowSyncOnPushComplete=true" in recorder.last.url
    assert res.status == shared.PushOperationStatus.FAILED
    assert res.company_id == company_id
    assert res.data_connection_key == connection.id
    assert UUID_RE.match(res.push_operation_key)
    assert res.validation is not None and res.validation.errors
    for item in res.validation.errors:
        assert item.message and item.validator_name
    parse_dt(res.requested_on_utc)

    got = rec_sdk.transactions.get_create_operation(
        request={"company_id": company_id, "push_operation_key": res.push_operation_key}
    )
    assert got.push_operation_key == res.push_operation_key
    assert got.status == shared.PushOperationStatus.FAILED
    assert recorder.last.json()["dataType"] == "bankTransactions"

    failed = rec_sdk.transactions.list_create_operations(
        request={"company_id": company_id, "query": "status=Failed", "order_by": "-requestedOnUtc"}
    )
    assert res.push_operation_key in [op.push_operation_key for op in failed.results]
    ok = rec_sdk.transactions.list_create_operations(request={"company_id": company_id, "query": "status=Success"})
    assert ok.total_results == 0
