//! Source accounts: validation of both Codat shapes, batch creation, and the PATCH rules (only the
//! name, a move to `disconnected`, and the balance while not connected may change).

use rust_decimal::Decimal;

use feedbridge_store::{
    AccountShape, AccountStatus, ClientId, Company, CompanyId, Connection, ConnectionId, Effects,
    SourceAccount, SourceAccountId, StoreError,
};

use super::events::EventType;
use super::status::{self, AccountCause, ConnectionCause};
use super::{DomainError, DomainResult, OrNotFound, Services};

/// The `accountType` values of `SourceAccountV2`.
pub const V2_ACCOUNT_TYPES: [&str; 5] =
    ["checking", "savings", "loan", "creditCard", "prepaidCard"];

/// A create body, in either shape.
#[derive(Debug, Clone)]
pub struct AccountInput {
    pub shape: AccountShape,
    pub id: Option<String>,
    pub account_name: Option<String>,
    pub account_type: Option<String>,
    pub account_number: Option<String>,
    pub sort_code: Option<String>,
    pub currency: Option<String>,
    pub balance: Option<Decimal>,
    pub routing_info: Option<serde_json::Value>,
    pub account_info: Option<serde_json::Value>,
    pub modified_date: Option<String>,
}

/// A PATCH body.
#[derive(Debug, Clone, Default)]
pub struct AccountPatch {
    pub id: Option<String>,
    pub account_name: Option<String>,
    pub status: Option<String>,
    pub balance: Option<Decimal>,
    /// Fields that may not change, with the value sent.
    pub other_fields: Vec<(String, String)>,
}

/// The outcome of one item of a batch.
#[derive(Debug, Clone)]
pub struct BatchItem {
    pub source_account_id: String,
    pub status_code: u16,
    pub error: Option<String>,
    pub account: Option<SourceAccount>,
}

pub const DUPLICATE_ACCOUNT: &str = "A bank account already exists with the same Id";

fn invalid(message: impl Into<String>) -> DomainError {
    DomainError::Invalid(message.into())
}

impl Services {
    /// Checks a create body and builds the record it describes.
    pub fn new_account(
        &self,
        connection: ConnectionId,
        input: AccountInput,
    ) -> DomainResult<SourceAccount> {
        let id = input
            .id
            .as_deref()
            .ok_or_else(|| invalid("`id` is required."))?;
        let id = SourceAccountId::parse(id).map_err(|e| invalid(e.to_string()))?;
        if input.shape == AccountShape::V2 {
            for (field, present) in [
                ("accountName", input.account_name.is_some()),
                ("accountType", input.account_type.is_some()),
                ("accountNumber", input.account_number.is_some()),
                ("currency", input.currency.is_some()),
                ("balance", input.balance.is_some()),
            ] {
                if !present {
                    return Err(invalid(format!(
                        "`{field}` is required for a v2 source account."
                    )));
                }
            }
        }
        if let Some(currency) = &input.currency {
            if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(invalid(
                    "`currency` must be an ISO 4217 code such as USD or CAD.",
                ));
            }
            if currency == "GBP" && input.sort_code.is_none() {
                return Err(invalid("`sortCode` is required for GBP accounts."));
            }
        }
        let now = self.now();
        Ok(SourceAccount {
            connection_id: connection,
            id,
            shape: input.shape,
            account_name: input.account_name,
            account_type: input.account_type,
            account_number: input.account_number,
            sort_code: input.sort_code,
            currency: input.currency,
            balance: input.balance,
            routing_info: input.routing_info,
            account_info: input.account_info,
            modified_date: input.modified_date,
            status: AccountStatus::Pending,
            feed_start_date: None,
            last_pulled: None,
            linked_credential: None,
            created: now,
            feed_mark: now,
        })
    }

    pub async fn create_source_account(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        input: AccountInput,
    ) -> DomainResult<SourceAccount> {
        let (_, conn) = self.connection(client, company, id).await?;
        let account = self.new_account(conn.id, input)?;
        let mut results = self
            .store
            .insert_source_accounts(std::slice::from_ref(&account))
            .await?;
        match results.pop() {
            Some(Ok(())) => Ok(account),
            Some(Err(StoreError::Conflict(_))) => Err(invalid(DUPLICATE_ACCOUNT)),
            Some(Err(e)) => Err(e.into()),
            None => Err(StoreError::Backend("no result for an inserted account".into()).into()),
        }
    }

    /// Creates each valid item; invalid ones and duplicates are reported per item.
    pub async fn create_source_accounts(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        inputs: Vec<Result<AccountInput, String>>,
    ) -> DomainResult<Vec<BatchItem>> {
        let (_, conn) = self.connection(client, company, id).await?;
        let mut items = Vec::with_capacity(inputs.len());
        let mut valid = Vec::new();
        for input in inputs {
            let claimed = input
                .as_ref()
                .ok()
                .and_then(|i| i.id.clone())
                .unwrap_or_default();
            match input
                .map_err(DomainError::Invalid)
                .and_then(|i| self.new_account(conn.id, i))
            {
                Ok(account) => {
                    valid.push(items.len());
                    items.push(BatchItem {
                        source_account_id: claimed,
                        status_code: 200,
                        error: None,
                        account: Some(account),
                    });
                }
                Err(e) => items.push(BatchItem {
                    source_account_id: claimed,
                    status_code: 400,
                    error: Some(e.to_string()),
                    account: None,
                }),
            }
        }
        let accounts: Vec<SourceAccount> = valid
            .iter()
            .filter_map(|&i| items[i].account.clone())
            .collect();
        let results = self.store.insert_source_accounts(&accounts).await?;
        for (&i, result) in valid.iter().zip(results) {
            match result {
                Ok(()) => {}
                Err(StoreError::Conflict(_)) => {
                    items[i] = BatchItem {
                        status_code: 409,
                        error: Some(DUPLICATE_ACCOUNT.into()),
                        account: None,
                        ..items[i].clone()
                    };
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(items)
    }

    pub async fn list_source_accounts(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> DomainResult<Vec<SourceAccount>> {
        let (_, conn) = self.connection(client, company, id).await?;
        Ok(self.store.list_source_accounts(conn.id).await?)
    }

    async fn source_account(&self, conn: &Connection, id: &str) -> DomainResult<SourceAccount> {
        let missing = || format!("Source account {id} not found");
        let parsed = SourceAccountId::parse(id).map_err(|_| DomainError::NotFound(missing()))?;
        self.store
            .get_source_account(conn.id, &parsed)
            .await
            .or_not_found(missing)
    }

    pub async fn update_source_account(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        account_id: &str,
        patch: AccountPatch,
    ) -> DomainResult<SourceAccount> {
        let (company, conn) = self.connection(client, company, id).await?;
        let mut account = self.source_account(&conn, account_id).await?;
        check_patch(&account, &patch)?;
        if let Some(name) = patch.account_name {
            account.account_name = Some(name);
        }
        if let Some(balance) = patch.balance {
            account.balance = Some(balance);
        }
        let mut effects = Effects::none();
        let mut changed_conn = None;
        let was_connected = account.status == AccountStatus::Connected;
        // Only a move from `connected` stops a feed, which webhooks and the connection hear of.
        if patch.status.is_some()
            && status::move_account(&mut account, AccountCause::DisconnectedByInstitution)
            && was_connected
        {
            effects = effects.event(self.account_event(
                &company,
                &account,
                EventType::AccountDisconnected,
            ));
            changed_conn = self
                .unlink_if_idle(&company, &conn, &account, &mut effects)
                .await?;
        }
        self.store
            .update_source_accounts(
                std::slice::from_ref(&account),
                changed_conn.as_ref(),
                effects,
            )
            .await?;
        Ok(account)
    }

    /// Codat's rule: a linked connection becomes `Unlinked` once no account is left connected.
    pub(crate) async fn unlink_if_idle(
        &self,
        company: &Company,
        conn: &Connection,
        changed: &SourceAccount,
        effects: &mut Effects,
    ) -> DomainResult<Option<Connection>> {
        let others = self.store.list_source_accounts(conn.id).await?;
        let still = others
            .iter()
            .any(|a| a.id != changed.id && a.status == AccountStatus::Connected);
        let mut updated = conn.clone();
        if still || !status::move_connection(&mut updated, ConnectionCause::NoAccountConnected) {
            return Ok(None);
        }
        effects.events.push(self.connection_event(
            company,
            &updated,
            EventType::ConnectionDisconnected,
        ));
        Ok(Some(updated))
    }

    pub async fn delete_source_account(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
        account_id: &str,
    ) -> DomainResult<()> {
        let (_, conn) = self.connection(client, company, id).await?;
        let account = self.source_account(&conn, account_id).await?;
        self.store
            .delete_source_account(conn.id, &account.id)
            .await
            .or_not_found(|| format!("Source account {account_id} not found"))
    }
}

fn check_patch(account: &SourceAccount, patch: &AccountPatch) -> DomainResult<()> {
    if patch
        .id
        .as_deref()
        .is_some_and(|id| id != account.id.as_str())
    {
        return Err(invalid(
            "`id` in the body must match the account in the path.",
        ));
    }
    if let Some(status) = &patch.status {
        if status != AccountStatus::Disconnected.as_str() {
            return Err(invalid("`status` can only be set to `disconnected`."));
        }
    }
    if patch.balance.is_some() && account.status == AccountStatus::Connected {
        return Err(invalid(
            "`balance` cannot change while the account is connected; push transactions instead.",
        ));
    }
    for (field, value) in &patch.other_fields {
        let current = match field.as_str() {
            "accountType" => &account.account_type,
            "accountNumber" => &account.account_number,
            "sortCode" => &account.sort_code,
            _ => &account.currency,
        };
        if current.as_deref() != Some(value.as_str()) {
            return Err(invalid(format!(
                "`{field}` cannot be changed; only accountName, status and balance can."
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
