//! Listing: Codat's `page`, `pageSize`, `query` and `orderBy`, applied to any list of wire
//! records, answered in the paged envelope.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use feedbridge_query::{FieldValue, OrderBy, Query, Queryable};

use super::error::ApiError;
use crate::wire::paging::{Href, Links, Page, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// The query string of a paged list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// 1-based page number.
    // Read as text so that a bad value gets an `ErrorMessage`, documented as Codat's int32.
    #[param(value_type = Option<i32>, minimum = 1)]
    pub page: Option<String>,
    /// Items per page, 1 to 5000.
    #[param(value_type = Option<i32>, minimum = 1, maximum = 5000)]
    pub page_size: Option<String>,
    /// Codat query, e.g. `status=Failed`.
    pub query: Option<String>,
    /// Field to sort by; `-` in front for descending.
    pub order_by: Option<String>,
}

/// A wire record seen through its JSON, so queries reach every documented field.
struct Json<'a>(&'a Value);

impl Queryable for Json<'_> {
    fn field(&self, path: &str) -> Option<FieldValue> {
        let value = path.split('.').try_fold(self.0, |v, key| v.get(key))?;
        Some(match value {
            Value::Null => FieldValue::Null,
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Number(n) => n
                .to_string()
                .parse()
                .map(FieldValue::Num)
                .unwrap_or(FieldValue::Null),
            Value::String(s) => feedbridge_query::value::parse_instant(s)
                .filter(|_| looks_like_date(s))
                .map(FieldValue::DateTime)
                .unwrap_or_else(|| FieldValue::Str(s.clone())),
            Value::Array(_) | Value::Object(_) => return None,
        })
    }
}

/// Only text shaped like an ISO date is compared as a date, so a name like "2024" stays text.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

/// An empty value means the default, as for every other optional parameter.
fn number(text: Option<&str>, default: u32, max: u32, name: &str) -> Result<u32, ApiError> {
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return Ok(default);
    };
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_request(format!(
            "`{name}` must be a whole number from 1 to {max}."
        ))),
    }
}

/// Filters, sorts and pages `items` (already serialised) for `path`.
pub fn page<T: Serialize>(
    items: Vec<T>,
    params: &ListParams,
    path: &str,
    fields: &[&str],
) -> Result<Page<Value>, ApiError> {
    // Codat's `page` is an int32.
    let page = number(params.page.as_deref(), 1, i32::MAX.unsigned_abs(), "page")?;
    let size = number(
        params.page_size.as_deref(),
        DEFAULT_PAGE_SIZE,
        MAX_PAGE_SIZE,
        "pageSize",
    )?;
    let mut values: Vec<Value> = items
        .iter()
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| ApiError::internal(e.to_string()))?;
    if let Some(text) = params.query.as_deref().filter(|q| !q.trim().is_empty()) {
        let query = Query::parse(text).map_err(|_| ApiError::malformed_query())?;
        query
            .check_fields(fields)
            .map_err(|_| ApiError::malformed_query())?;
        values.retain(|v| query.matches(&Json(v)));
    }
    if let Some(text) = params.order_by.as_deref().filter(|o| !o.trim().is_empty()) {
        let order = OrderBy::parse(text).map_err(|_| ApiError::malformed_query())?;
        order
            .check_fields(fields)
            .map_err(|_| ApiError::malformed_query())?;
        values.sort_by(|a, b| order.compare(&Json(a), &Json(b)));
    }
    let total = values.len();
    let start = (page as usize - 1).saturating_mul(size as usize);
    let results: Vec<Value> = values.into_iter().skip(start).take(size as usize).collect();
    let href = |p: u32| Href {
        href: with_params(path, p, size, params),
    };
    Ok(Page {
        results,
        page_number: page,
        page_size: size,
        total_results: total,
        links: Links {
            self_: Href {
                href: path.to_owned(),
            },
            current: href(page),
            next: (start + (size as usize) < total).then(|| href(page + 1)),
            previous: (page > 1).then(|| href(page - 1)),
        },
    })
}

fn with_params(path: &str, page: u32, size: u32, params: &ListParams) -> String {
    let mut href = format!("{path}?page={page}&pageSize={size}");
    for (name, value) in [("query", &params.query), ("orderBy", &params.order_by)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            href.push_str(&format!("&{name}={}", encode(v)));
        }
    }
    href
}

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
