"""Compatibility test: Codat's official Python SDK (codat-bankfeeds 13.0.0) drives the real server.

Every expectation comes from docs shared/reference/codat-api.md (§2 transport, §3 endpoints and
success codes, §4 behaviour, §5 models, §9 SDK behaviour) and shared/SPEC.md (§2, §3, §5, §7),
never from the implementation. The SDK itself enforces the exact success codes of §9.2 (it raises
SDKError on any other status, 2xx included) and the response models of §9.3 (pydantic), so a
call that returns at all has already passed those checks.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

from codat_bankfeeds.models import errors, shared

from support import assert_error_message, unique

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# SPEC §4/§5: XXXX-XXXX-XXXX, 12 upper-case alphanumerics without look-alike characters.
USERNAME_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")
LOOK_ALIKES = set("0O1I")
PASSWORD_RE = re.compile(r"^[A-Za-z0-9]{20,}$")  # >= 20 base62 characters
MALFORMED_QUERY = "Error parsing query - Malformed query."


# --------------------------------------------------------------------------- helpers

def parse_dt(value: str) -> datetime:
    """ISO 8601 as Codat emits it (Z, offsets, or none = UTC; up to 7 fraction digits)."""
    assert isinstance(value, str) and value, value
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$", value)
    assert m, f"not an ISO 8601 date-time: {value!r}"
    frac = (m.group(2) or ".0")[1:7].ljust(6, "0")
    tz = m.group(3) or "+00:00"
    if tz == "Z":
        tz = "+00:00"
    return datetime.fromisoformat(f"{m.group(1)}.{frac}{tz}")


def otp_of(link_url: str) -> str:
    values = parse_qs(urlparse(link_url).query).get("otp")
    assert values and values[0], f"linkUrl has no otp: {link_url}"
    return values[0]


def new_company(sdk, name: str | None = None, **fields):
    return sdk.companies.create(request={"name": name or f"Co {unique()}", **fields})


def new_connection(sdk, company_id: str):
    return sdk.connections.create(
        request={"company_id": company_id, "request_body": {"platform_key": "hcws"}}
    )


def v1_account(account_id: str, name: str = "Operating account") -> shared.SourceAccountPrototype:
    """A v1 prototype (codat-api.md §5.3). accountType `Debit` is v1 free text, not a v2 enum value."""
    return shared.SourceAccountPrototype(
        id=account_id,
        account_name=name,
        account_type="Debit",
        account_number="12345670",
        sort_code="12-34-56",
        currency="USD",
        balance=Decimal("4002"),
    )


def v2_account(account_id: str, name: str = "Everyday checking") -> shared.SourceAccountV2Prototype:
    """A v2 prototype (codat-api.md §5.4), with the v2-only routingInfo and accountInfo."""
    return shared.SourceAccountV2Prototype(
        id=account_id,
        account_name=name,
        account_type="checking",
        account_number="000123456789",
        currency="USD",
        balance=Decimal("1500.25"),
        routing_info=shared.RoutingInfo(bank_code="021000021", type="aba"),
        account_info=shared.AccountInfo(
            description="Business checking",
            nickname="Main",
            account_open_date="2020-01-15",
            available_balance=Decimal("1400.25"),
        ),
    )


def cc(company_id: str, connection_id: str) -> dict:
    return {"company_id": company_id, "connection_id": connection_id}


def page_ids(page) -> list[str]:
    return [c.id for c in (page.results or [])]


# =========================================================================== companies

def test_create_company_returns_the_full_company(rec_sdk, recorder, base_url):
    name = f"Create Co {unique()}"
    res = rec_sdk.companies.create(
        request={"name": name, "description": "Requested early access", "tags": {"region": "us"}}
    )
    assert recorder.last.status == 200
    assert recorder.last.method == "POST" and recorder.last.path == "/companies"
    assert UUID_RE.match(res.id), res.id
    assert res.name == name
    assert res.description == "Requested early access"
    assert res.tags == {"region": "us"}
    # SPEC §2: redirect is {public_url}/link/companies/{companyId}; without public_url the
    # bound address is used (SPEC §3).
    assert res.redirect == f"{base_url}/link/companies/{res.id}"
    body = recorder.last.json()
    assert body["dataConnections"] == []
    parse_dt(body["created"])


def test_create_company_strips_forbidden_characters(sdk):
    res = sdk.companies.create(request={"name": "Company (Codat[1])"})
    assert res.name == "Company Codat1"
    assert sdk.companies.get(request={"company_id": res.id}).name == "Company Codat1"


def test_create_company_without_name_is_400(raw):
    r = raw.post("/companies", json={"description": "no name"})
    assert r.status_code == 400, r.text
    assert_error_message(r.json(), 400)


def test_get_company(sdk):
    created = new_company(sdk, description="get me")
    got = sdk.companies.get(request={"company_id": created.id})
    assert got.id == created.id
    assert got.name == created.name
    assert got.description == "get me"
    assert got.redirect == created.redirect


def test_get_unknown_company_is_404(sdk):
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.companies.get(request={"company_id": str(uuid.uuid4())})
    assert ei.value.status_code == 404
    assert ei.value.data.status_code == 404
    assert isinstance(ei.value.data.can_be_retried, str)


def test_list_companies_default_request(rec_sdk, recorder):
    created = new_company(rec_sdk)
    page = rec_sdk.companies.list()
    # The SDK always sends page=1&pageSize=100 (codat-api.md §2.3).
    assert parse_qs(urlparse(recorder.last.url).query) == {"page": ["1"], "pageSize": ["100"]}
    assert page.page_number == 1
    assert page.page_size == 100
    assert page.total_results >= 1
    links = recorder.last.json()["_links"]
    assert urlparse(links["self"]["href"]).path == "/companies"
    assert urlparse(links["self"]["href"]).query == ""
    assert "page=1" in links["current"]["href"] and "pageSize=100" in links["current"]["href"]
    if page.total_results <= 100:
        assert created.id in page_ids(page)


def test_list_companies_paging_with_links(sdk, raw, base_url):
    token = unique("Pg")
    ids = {new_company(sdk, f"Paging {token} {n}").id for n in ("One", "Two", "Three")}
    query = f"name~{token}"

    seen = []
    for number in (1, 2, 3):
        page = sdk.companies.list(request={"page": number, "page_size": 1, "query": query})
        assert page.page_number == number
        assert page.page_size == 1
        assert page.total_results == 3
        assert len(page.results) == 1
        seen.append(page.results[0].id)
        links = page.links
        assert urlparse(links.self_.href).path == "/companies"
        current = parse_qs(urlparse(links.current.href).query)
        assert current.get("page") == [str(number)] and current.get("pageSize") == ["1"]
        assert (links.next is not None) == (number < 3), links
        assert (links.previous is not None) == (number > 1), links
    assert set(seen) == ids

    # Following `next` from page 1 gives page 2, with the query kept.
    first = sdk.companies.list(request={"page": 1, "page_size": 1, "query": query})
    r = raw.get(urljoin(base_url + "/", first.links.next.href))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["pageNumber"] == 2 and body["totalResults"] == 3
    assert [c["id"] for c in body["results"]] == [seen[1]]

    beyond = sdk.companies.list(request={"page": 4, "page_size": 1, "query": query})
    assert beyond.total_results == 3
    assert not beyond.results


def test_list_companies_page_size_up_to_5000(sdk):
    page = sdk.companies.list(request={"page_size": 5000})
    assert page.page_size == 5000


def test_list_companies_order_by(sdk):
    token = unique("Ob")
    names = [f"Order {token} {suffix}" for suffix in ("Bravo", "Alpha", "Charlie")]
    for name in names:
        new_company(sdk, name)
    asc = sdk.companies.list(request={"query": f"name~{token}", "order_by": "name"})
    assert [c.name for c in asc.results] == sorted(names)
    desc = sdk.companies.list(request={"query": f"name~{token}", "order_by": "-name"})
    assert [c.name for c in desc.results] == sorted(names, reverse=True)


def test_list_companies_query_operators(sdk):
    token = unique("Q")
    # No spaces in the names: `name=VALUE` must not depend on how a parser treats blanks.
    a = new_company(sdk, f"Apple{token}")
    b = new_company(sdk, f"Banana{token}")
    c = new_company(sdk, f"Cherry{token}")

    def ids(query):
        return set(page_ids(sdk.companies.list(request={"query": query})))

    assert ids(f"name={a.name}") == {a.id}
    assert ids(f"name~{token}") == {a.id, b.id, c.id}
    assert ids(f"name~{token} && name!={b.name}") == {a.id, c.id}
    assert ids(f"name={a.name} || name={c.name}") == {a.id, c.id}
    assert ids(f"{{name={a.name} || name={b.name}}} && name~Banana") == {b.id}
    assert ids(f"name~{token} && {{name~Apple || name~Cherry}}") == {a.id, c.id}
    assert ids(f"name={token}") == set()


@pytest.mark.parametrize("query", ["{name=Foo", "name=Foo}", "name=Foo &&", "&& name=Foo", "name"])
def test_list_companies_malformed_query_is_400(sdk, query):
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.companies.list(request={"query": query})
    assert ei.value.status_code == 400
    assert ei.value.data.status_code == 400
    assert ei.value.data.error == MALFORMED_QUERY


def test_update_company_keeps_unchanged_fields(sdk):
    created = new_company(sdk, description="before", tags={"team": "lending"})
    updated = sdk.companies.update(
        request={"company_id": created.id, "company_update_request": {"description": "after"}}
    )
    assert updated.id == created.id
    assert updated.description == "after"
    assert updated.name == created.name
    assert updated.tags == {"team": "lending"}

    renamed = sdk.companies.update(
        request={"company_id": created.id, "company_update_request": {"name": f"Renamed {unique()}"}}
    )
    assert renamed.name.startswith("Renamed ")
    assert renamed.description == "after"
    got = sdk.companies.get(request={"company_id": created.id})
    assert (got.name, got.description, got.tags) == (renamed.name, "after", {"team": "lending"})


def test_replace_company_overwrites_every_field(sdk):
    created = new_company(sdk, description="old description", tags={"team": "lending"})
    new_name = f"Replaced {unique()}"
    replaced = sdk.companies.replace(
        request={"company_id": created.id, "company_request_body": {"name": new_name}}
    )
    assert replaced.id == created.id
    assert replaced.name == new_name
    # PUT overwrites name, description and tags even when they are omitted (codat-api.md §3).
    assert not replaced.description
    assert not replaced.tags
    got = sdk.companies.get(request={"company_id": created.id})
    assert got.name == new_name and not got.description and not got.tags


def test_delete_company(sdk):
    created = new_company(sdk)
    connection = new_connection(sdk, created.id)
    assert sdk.companies.delete(request={"company_id": created.id}) is None  # 204
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.companies.get(request={"company_id": created.id})
    assert ei.value.status_code == 404
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.connections.get(request=cc(created.id, connection.id))
    assert ei.value.status_code == 404
    with pytest.raises(errors.ErrorMessage) as ei:
        sdk.companies.delete(request={"company_id": created.id})
    assert ei.value.status_code == 404


# =========================================================================== connections

def assert_link_url(link_url: str, base_url: str, company_id: str, connection_id: str) -> str:
    pattern = (
        rf"^{re.escape(base_url)}/link/companies/{re.escape(company_id)}"
        rf"/connections/{re.escape(connection_id)}/start\?otp=[^&#]+$"
    )
    assert re.match(pattern, link_url), f"unexpected linkUrl {link_url!r}"
    return otp_of(link_url)


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


# =========================================================================== source accounts

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


# =========================================================================== credentials and OTP

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


# =========================================================================== push operations

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


# =========================================================================== errors and transport

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
