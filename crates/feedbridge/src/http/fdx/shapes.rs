//! FDX 6's JSON shapes as Feedbridge sends them: flat accounts discriminated by
//! `accountCategory`, balances, posted transactions with an absolute `amount` and
//! `debitCreditMemo`, paging metadata, and the Consent API's grant and revocations.

use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use feedbridge_store::{ConsentRevocation, ListedTransaction, SourceAccount};

use crate::domain::fdx::accounts::Detailed;
use crate::domain::fdx::consents::View;
use crate::http::link::connect::AccountView;
use crate::wire::datetime;

/// FDX's account category and type of a source account.
fn category(account: &SourceAccount) -> (&'static str, &'static str) {
    match account.account_type.as_deref().unwrap_or_default() {
        "creditCard" | "Credit" | "credit" => ("LOC_ACCOUNT", "CREDITCARD"),
        "prepaidCard" => ("DEPOSIT_ACCOUNT", "OTHERDEPOSIT"),
        "loan" | "Loan" => ("LOAN_ACCOUNT", "LOAN"),
        "savings" | "Savings" => ("DEPOSIT_ACCOUNT", "SAVINGS"),
        _ => ("DEPOSIT_ACCOUNT", "CHECKING"),
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Currency {
    pub currency_code: String,
}

/// An account as the account list shows it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountDescriptor {
    /// `DEPOSIT_ACCOUNT`, `LOC_ACCOUNT` or `LOAN_ACCOUNT`.
    pub account_category: &'static str,
    /// The source account's id, stable for the life of the account.
    pub account_id: String,
    /// `CHECKING`, `SAVINGS`, `OTHERDEPOSIT`, `CREDITCARD` or `LOAN`.
    pub account_type: &'static str,
    /// The account number with all but its last four characters hidden.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number_display: Option<String>,
    pub product_name: String,
    pub status: &'static str,
    pub currency: Currency,
}

impl AccountDescriptor {
    pub fn of(account: &SourceAccount) -> Self {
        let (account_category, account_type) = category(account);
        let view = AccountView::of(account);
        Self {
            account_category,
            account_id: account.id.to_string(),
            account_type,
            account_number_display: view.masked,
            product_name: view.name,
            status: "OPEN",
            currency: Currency {
                currency_code: account.currency.clone().unwrap_or_else(|| "USD".into()),
            },
        }
    }
}

/// One account with its balances. A line of credit's `currentBalance` is what is owed, so it
/// is the account's balance with the sign turned.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountWithDetails {
    #[serde(flatten)]
    pub descriptor: AccountDescriptor,
    pub balance_as_of: String,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub current_balance: Decimal,
    /// Deposit accounts only.
    #[schema(value_type = Option<f64>)]
    #[serde(
        with = "rust_decimal::serde::arbitrary_precision_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub available_balance: Option<Decimal>,
}

impl AccountWithDetails {
    pub fn of(detailed: &Detailed) -> Self {
        let descriptor = AccountDescriptor::of(&detailed.account);
        let credit = descriptor.account_category == "LOC_ACCOUNT";
        let balance = detailed.balance.round_dp(2);
        Self {
            balance_as_of: datetime(detailed.as_of),
            current_balance: if credit { -balance } else { balance },
            available_balance: (!credit).then_some(balance),
            descriptor,
        }
    }
}

/// One posted transaction.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub account_category: &'static str,
    /// The institution's transaction id, stable forever.
    pub transaction_id: String,
    /// When the transaction was posted to the feed (made available).
    pub posted_timestamp: String,
    /// When the transaction happened (its date, in the institution's time zone).
    pub transaction_timestamp: String,
    pub description: String,
    /// `DEBIT` (money out) or `CREDIT` (money in); `amount` is always positive.
    pub debit_credit_memo: &'static str,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub amount: Decimal,
    /// Always `POSTED`: the feed carries cleared transactions only.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl Transaction {
    pub fn of(
        account: &SourceAccount,
        listed: &ListedTransaction,
        tz: &jiff::tz::TimeZone,
    ) -> Self {
        let t = &listed.transaction;
        let happened = t
            .date
            .to_zoned(tz.clone())
            .map_or(listed.available_at, |z| z.timestamp());
        Self {
            account_category: category(account).0,
            transaction_id: t.id.clone(),
            posted_timestamp: datetime(listed.available_at),
            transaction_timestamp: datetime(happened),
            description: t.description.clone(),
            debit_credit_memo: if t.amount.is_sign_negative() {
                "DEBIT"
            } else {
                "CREDIT"
            },
            amount: t.amount.abs(),
            status: "POSTED",
            payee: t.counterparty.clone(),
            reference: t.reference.clone(),
        }
    }
}

/// Paging of a list: where the next page starts, as an offset and as a page key (the same
/// opaque value).
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_key: Option<String>,
    pub total_elements: usize,
}

impl PageMetadata {
    pub fn new(next: Option<usize>, total: usize) -> Self {
        Self {
            next_offset: next.map(|n| n.to_string()),
            next_page_key: next.map(|n| n.to_string()),
            total_elements: total,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accounts {
    pub page: PageMetadata,
    pub accounts: Vec<AccountDescriptor>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Transactions {
    pub page: PageMetadata,
    pub transactions: Vec<Transaction>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// The SMB user's stable id, the `sub` of the ID token.
    pub customer_id: String,
}

/// A party to a consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Party {
    pub name: String,
    #[serde(rename = "type")]
    pub party_type: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub resource_type: &'static str,
    pub resource_id: String,
    pub data_clusters: Vec<String>,
}

/// FDX's `ConsentGrant`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConsentGrant {
    pub id: String,
    /// `ACTIVE`, `EXPIRED` or `REVOKED`.
    pub status: &'static str,
    pub parties: Vec<Party>,
    pub created_time: String,
    pub expiration_time: String,
    pub updated_time: String,
    pub duration_type: &'static str,
    /// Days the consent lasts.
    pub duration_period: i64,
    pub resources: Vec<Resource>,
}

impl ConsentGrant {
    pub fn of(view: &View, institution: &str) -> Self {
        let c = &view.consent;
        Self {
            id: c.id.to_string(),
            status: view.standing.as_str(),
            parties: vec![
                Party {
                    name: view.recipient.name.clone(),
                    party_type: "DATA_RECIPIENT",
                },
                Party {
                    name: institution.to_owned(),
                    party_type: "DATA_PROVIDER",
                },
            ],
            created_time: datetime(c.created),
            expiration_time: datetime(c.expires),
            updated_time: datetime(view.updated()),
            duration_type: "TIME_BOUND",
            duration_period: c.expires.duration_since(c.created).as_hours() / 24,
            resources: c
                .accounts
                .iter()
                .map(|a| Resource {
                    resource_type: "ACCOUNT",
                    resource_id: a.to_string(),
                    data_clusters: c.data_clusters.clone(),
                })
                .collect(),
        }
    }
}

/// One revocation of a consent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Revocation {
    pub status: &'static str,
    pub reason: String,
    pub initiator: String,
    pub updated_time: String,
}

impl Revocation {
    pub fn of(r: &ConsentRevocation) -> Self {
        Self {
            status: "REVOKED",
            reason: r.reason.clone(),
            initiator: r.initiator.clone(),
            updated_time: datetime(r.at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Revocations {
    pub revocations: Vec<Revocation>,
}
