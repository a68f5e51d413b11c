//! `Company`, `Connection` and their request bodies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use feedbridge_store::{Company as CompanyRecord, Connection as ConnectionRecord};

use super::datetime;

/// The integration id Codat uses for QuickBooks Online Bank Feeds connections.
pub const INTEGRATION_ID: &str = "6b113e06-e818-45d7-977b-8e6bb3d01269";
/// The source id of QuickBooks Online Bank Feeds.
pub const SOURCE_ID: &str = "56e6575a-3f1f-4918-b009-f7535555f0d6";
pub const PLATFORM_NAME: &str = "QuickBooks Online Bank Feeds";

/// `CompanyRequestBody` (create, replace) and `CompanyUpdateRequest` (update).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompanyRequest {
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Option<BTreeMap<String, String>>,
}

/// A company.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub redirect: String,
    pub last_sync: Option<String>,
    pub created: String,
    pub created_by_user_name: Option<String>,
    pub products: Vec<String>,
    pub tags: BTreeMap<String, String>,
    pub reference_parent_company: Option<serde_json::Value>,
    pub reference_subsidiary_companies: Vec<serde_json::Value>,
    pub data_connections: Vec<Connection>,
}

impl Company {
    pub fn new(record: &CompanyRecord, redirect: String, connections: Vec<Connection>) -> Self {
        Self {
            id: record.id.to_string(),
            name: record.name.clone(),
            description: record.description.clone(),
            redirect,
            last_sync: None,
            created: datetime(record.created),
            created_by_user_name: None,
            products: Vec::new(),
            tags: record.tags.clone(),
            reference_parent_company: None,
            reference_subsidiary_companies: Vec::new(),
            data_connections: connections,
        }
    }
}

/// `CompanyReference`, used inside webhook payloads.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CompanyReference {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub links: CompanyLinks,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyLinks {
    pub portal: String,
}

impl CompanyReference {
    pub fn new(record: &CompanyRecord, portal: String) -> Self {
        Self {
            id: record.id.to_string(),
            name: record.name.clone(),
            description: record.description.clone(),
            links: CompanyLinks { portal },
            tags: record.tags.clone(),
        }
    }
}

/// Body of create connection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateConnection {
    pub platform_key: Option<String>,
}

/// Body of unlink connection; Codat allows only `status`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateConnection {
    pub status: Option<String>,
}

/// A data connection.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Connection {
    pub id: String,
    pub integration_id: String,
    pub integration_key: String,
    pub source_id: String,
    pub source_type: String,
    pub platform_name: String,
    pub link_url: String,
    pub status: String,
    pub last_sync: Option<String>,
    pub created: String,
    pub data_connection_errors: Option<Vec<serde_json::Value>>,
    pub connection_info: Option<serde_json::Value>,
}

impl Connection {
    /// The connection with the facts its record lacks: a fresh link and the platform's key.
    pub fn new(record: &ConnectionRecord, link_url: String, platform_key: &str) -> Self {
        Self {
            id: record.id.to_string(),
            integration_id: INTEGRATION_ID.into(),
            integration_key: platform_key.into(),
            source_id: SOURCE_ID.into(),
            source_type: "BankFeed".into(),
            platform_name: PLATFORM_NAME.into(),
            link_url,
            status: record.status.as_str().into(),
            last_sync: record.last_sync.map(datetime),
            created: datetime(record.created),
            data_connection_errors: None,
            connection_info: None,
        }
    }
}
