//! Pushing bank transactions (`POST …/push/bankAccounts/{accountId}/bankTransactions`).
//!
//! The rules live in [`check`]; this module runs them inside the store's atomic push, so what
//! they read (the account, the newest stored date, the ids already stored) cannot change before
//! the outcome is written. Failed operations are stored too, with their findings.

pub mod check;
pub mod input;
pub mod operations;
pub mod rules;

use serde_json::json;

use feedbridge_store::{
    ClientId, Company, CompanyId, ConnectionId, Effects, Ledger, PushOperation, PushOperationKey,
    PushStatus, PushWrite, SourceAccountId,
};

use super::events::EventType;
use super::status;
use super::{DomainError, DomainResult, Services};
use crate::wire::datetime;
use input::PushInput;

/// What a Failed operation says besides its validation items.
pub const FAILED_MESSAGE: &str =
    "The push was refused and nothing was stored: see validation.errors for what to fix.";

/// The parts of a request besides its body.
#[derive(Debug, Clone, Default)]
pub struct PushOptions {
    pub timeout_in_minutes: Option<i32>,
}

/// A push on its way into the store, waiting for the stored facts.
struct Pending {
    company: Company,
    connection: ConnectionId,
    account: SourceAccountId,
    requested: jiff::Timestamp,
    input: PushInput,
    options: PushOptions,
}

impl Services {
    /// Validates and stores a push to one source account; answers with the finished operation.
    pub async fn push_transactions(
        &self,
        client: ClientId,
        company: CompanyId,
        connection: ConnectionId,
        account: &str,
        input: PushInput,
        options: PushOptions,
    ) -> DomainResult<PushOperation> {
        let (company, conn) = self.connection(client, company, connection).await?;
        let account = SourceAccountId::parse(account).map_err(|_| {
            DomainError::NotFound(format!("No source account was found with ID {account:?}"))
        })?;
        let ids = input
            .transactions
            .iter()
            .filter_map(|t| t.id.clone())
            .collect();
        let pending = Pending {
            company,
            connection: conn.id,
            account: account.clone(),
            requested: self.now(),
            input,
            options,
        };
        let services = self.clone();
        let decide = Box::new(move |ledger: &Ledger| services.decide(&pending, ledger));
        let operation = self
            .store
            .push_transactions(connection, &account, ids, decide)
            .await?;
        let success = operation.status == PushStatus::Success;
        self.metrics.push(success, operation.changes.len());
        Ok(operation)
    }

    /// Runs the rules on the stored facts and builds the write.
    fn decide(&self, pending: &Pending, ledger: &Ledger) -> PushWrite {
        let Pending {
            company,
            connection,
            account,
            requested,
            input,
            options,
        } = pending;
        let checked = check::check(input, account, ledger, self.today());
        let failed = !checked.errors.is_empty();
        let operation = PushOperation {
            key: PushOperationKey::new(),
            company_id: company.id,
            connection_id: *connection,
            account_id: account.clone(),
            requested: *requested,
            completed: Some(self.now()),
            status: status::push_status(failed),
            status_code: if failed { 400 } else { 200 },
            error_message: failed.then(|| FAILED_MESSAGE.to_owned()),
            errors: checked.errors,
            warnings: checked.warnings,
            timeout_in_minutes: options.timeout_in_minutes,
            changes: checked.new.iter().map(|t| t.id.clone()).collect(),
        };
        let effects = Effects::none().event(self.push_event(company, &operation));
        PushWrite {
            operation,
            transactions: checked.new,
            balance: checked.balance,
            effects,
        }
    }

    /// `bankTransactions.write.successful` or `.unsuccessful`, in Codat's payload shape.
    fn push_event(&self, company: &Company, op: &PushOperation) -> feedbridge_store::NewEvent {
        let kind = if op.status == PushStatus::Success {
            EventType::WriteSuccessful
        } else {
            EventType::WriteUnsuccessful
        };
        let payload = json!({
            "id": op.key,
            "type": "Create",
            "referenceCompany": self.reference(company),
            "connectionId": op.connection_id,
            "dataType": "bankTransactions",
            "sourceAccountId": op.account_id,
            "requestedOnDate": datetime(op.requested),
            "completedOnDate": op.completed.map(datetime),
            "status": op.status.as_str(),
            "record": null,
            "attachmentId": null,
        });
        self.event(company, kind, payload)
    }
}
