"""Building blocks of the SDK compatibility tests: the formats Codat documents, and the
companies, connections and source accounts most tests start from."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

from codat_bankfeeds.models import shared

from .api import unique

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# SPEC §4/§5: XXXX-XXXX-XXXX, 12 upper-case alphanumerics without look-alike characters.
USERNAME_RE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")
LOOK_ALIKES = set("0O1I")
PASSWORD_RE = re.compile(r"^[A-Za-z0-9]{20,}$")  # >= 20 base62 characters
MALFORMED_QUERY = "Error parsing query - Malformed query."


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


def assert_link_url(link_url: str, base_url: str, company_id: str, connection_id: str) -> str:
    pattern = (
        rf"^{re.escape(base_url)}/link/companies/{re.escape(company_id)}"
        rf"/connections/{re.escape(connection_id)}/start\?otp=[^&#]+$"
    )
    assert re.match(pattern, link_url), f"unexpected linkUrl {link_url!r}"
    return otp_of(link_url)
