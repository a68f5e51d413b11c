"""Companies through Codat's official Python SDK (codat-bankfeeds 13.0.0) against the real server:
create, read, list (paging, ordering, queries), update, replace and delete.

Every expectation comes from Codat's documentation (transport, endpoints and success codes,
behaviour, models, SDK behaviour) and the product spec, never from the implementation. The SDK
itself enforces the exact success codes (it raises SDKError on any other status, 2xx included) and
the response models (pydantic), so a call that returns at all has already passed those checks.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urljoin, urlparse

import pytest

from codat_bankfeeds.models import errors

from support import assert_error_message, unique
from support.sdk import (
    UUID_RE, MALFORMED_QUERY, parse_dt, new_company, new_connection, cc, page_ids,
)


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
