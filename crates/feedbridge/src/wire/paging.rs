//! Codat's paged envelope: `results`, `pageNumber`, `pageSize`, `totalResults`, `_links`.

use serde::Serialize;
use utoipa::ToSchema;

/// Largest page Codat accepts.
pub const MAX_PAGE_SIZE: u32 = 5000;
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub results: Vec<T>,
    pub page_number: u32,
    pub page_size: u32,
    pub total_results: usize,
    #[serde(rename = "_links")]
    pub links: Links,
}

/// Navigation links of a page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Links {
    #[serde(rename = "self")]
    pub self_: Href,
    pub current: Href,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<Href>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Href>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Href {
    pub href: String,
}
