"""Credentials and one-time codes through Codat's official Python SDK (codat-bankfeeds 13.0.0)
against the real server.

Every expectation comes from Codat's documentation (transport, endpoints and success codes,
behaviour, models, SDK behaviour) and the product spec, never from the implementation. The SDK
itself enforces the exact success codes (it raises SDKError on any other status, 2xx included) and
the response models (pydantic), so a call that returns at all has already passed those checks.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from support.sdk import USERNAME_RE, LOOK_ALIKES, PASSWORD_RE, parse_dt, cc


def test_generate_credentials_twice_gives_two_pairs(rec_sdk, recorder, connection):
    company_id = connection.company_id
    pairs = []
    for _ in range(2):
        creds = rec_sdk.source_accounts.generate_credentials(
            request={**cc(company_id, connection.id), "request_body": b"{}"}
        )
        assert recorder.last.status == 200
        assert USERNAME_RE.match(creds.username), creds.username
        assert not (set(creds.username) & LOOK_ALIKES), f"look-alike characters in {creds.username}"
        assert PASSWORD_RE.match(creds.password), "password is not >= 20 base62 characters"
        pairs.append((creds.username, creds.password))
    assert pairs[0][0] != pairs[1][0]
    assert pairs[0][1] != pairs[1][1]


@pytest.mark.parametrize("body", [None, b"{}", b'"{}"'], ids=["no-body", "empty-object", "json-string"])
def test_generate_credentials_ignores_the_body(raw, sdk, connection, body):
    company_id = connection.company_id
    path = f"/companies/{company_id}/connections/{connection.id}/connectionInfo/bankFeedAccounts/credentials"
    headers = {"Content-Type": "application/json"} if body is not None else {}
    r = raw.post(path, data=body, headers=headers)
    assert r.status_code == 200, r.text
    creds = r.json()
    assert USERNAME_RE.match(creds["username"]) and PASSWORD_RE.match(creds["password"])


def test_delete_credentials(rec_sdk, recorder, connection):
    company_id = connection.company_id
    rec_sdk.source_accounts.generate_credentials(request={**cc(company_id, connection.id), "request_body": b"{}"})
    assert rec_sdk.source_accounts.delete_credentials(request=cc(company_id, connection.id)) is None
    assert recorder.last.method == "DELETE"
    assert recorder.last.status == 204
    # New credentials can be generated afterwards (SPEC §5).
    creds = rec_sdk.source_accounts.generate_credentials(
        request={**cc(company_id, connection.id), "request_body": b"{}"}
    )
    assert USERNAME_RE.match(creds.username)


def test_generate_otp(rec_sdk, recorder, connection):
    company_id = connection.company_id
    before = datetime.now(timezone.utc)
    res = rec_sdk.source_accounts.generate_otp(request=cc(company_id, connection.id))
    after = datetime.now(timezone.utc)
    assert recorder.last.method == "POST"
    assert recorder.last.path == f"/companies/{company_id}/connections/{connection.id}/bankFeeds/otp"
    assert recorder.last.status == 200
    assert re.fullmatch(r"\d{6}", res.otp), res.otp
    expiry = parse_dt(res.expiry)
    # Valid 10 minutes (SPEC §5).
    assert before + timedelta(minutes=9) <= expiry <= after + timedelta(minutes=11), res.expiry
