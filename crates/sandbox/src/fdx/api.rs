//! Reading the FDX 6 API with a bearer token: the consented accounts, one account's balances,
//! and one account's transactions in a window, page after page (`page.nextPageKey`).

use jiff::civil::Date;
use jiff::Timestamp;
use reqwest::Url;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::tokens::Tokens;
use super::Client;
use crate::error::FeedError;
use crate::feed::Entry;

/// Where the next page starts, if there is one.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageMetadata {
    next_page_key: Option<String>,
}

/// An account as `/accounts` lists it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    pub account_id: String,
    pub account_category: String,
    pub account_type: Option<String>,
    pub account_number_display: Option<String>,
    pub product_name: Option<String>,
    pub currency: Option<Currency>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Currency {
    pub currency_code: String,
}

/// `/accounts/{accountId}`: the descriptor with balances.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Detailed {
    #[serde(flatten)]
    pub descriptor: Descriptor,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    pub current_balance: Decimal,
    #[serde(default, with = "rust_decimal::serde::arbitrary_precision_option")]
    pub available_balance: Option<Decimal>,
}

#[derive(Deserialize)]
struct Accounts {
    #[serde(default)]
    page: PageMetadata,
    accounts: Vec<Descriptor>,
}

#[derive(Deserialize)]
struct Transactions {
    #[serde(default)]
    page: PageMetadata,
    transactions: Vec<Transaction>,
}

/// A posted transaction: an absolute amount whose direction is `debitCreditMemo`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transaction {
    transaction_id: String,
    transaction_timestamp: Option<Timestamp>,
    posted_timestamp: Option<Timestamp>,
    #[serde(default)]
    description: String,
    debit_credit_memo: String,
    #[serde(with = "rust_decimal::serde::arbitrary_precision")]
    amount: Decimal,
    payee: Option<String>,
}

impl Transaction {
    /// As the Banking page books it: signed, dated on its transaction date, named by its payee
    /// when the institution sent one (as the OFX feed's NAME is).
    fn entry(self) -> Result<Entry, FeedError> {
        let date = self
            .transaction_timestamp
            .or(self.posted_timestamp)
            .ok_or_else(|| FeedError::Invalid(format!("{} has no date", self.transaction_id)))?;
        let amount = match self.debit_credit_memo.as_str() {
            "DEBIT" => -self.amount.abs(),
            _ => self.amount.abs(),
        };
        Ok(Entry {
            id: self.transaction_id,
            date,
            amount,
            payee: self.payee.unwrap_or_else(|| self.description.clone()),
            memo: self.description,
        })
    }
}

impl Client {
    /// `ISSUER/fdx/v6/` followed by `segments`, each escaped.
    fn api_url(&self, segments: &[&str]) -> Result<Url, FeedError> {
        let mut url = Url::parse(&format!("{}/fdx/v6", self.issuer()))
            .map_err(|e| FeedError::Invalid(e.to_string()))?;
        url.path_segments_mut()
            .map_err(|()| FeedError::Invalid("the issuer cannot hold a path".into()))?
            .extend(segments);
        Ok(url)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        tokens: &Tokens,
        url: Url,
        query: &[(&str, String)],
    ) -> Result<T, FeedError> {
        let request = self.http.get(url).bearer_auth(&tokens.access).query(query);
        self.read(request).await
    }

    /// Every consented account.
    pub(super) async fn accounts(&self, tokens: &Tokens) -> Result<Vec<Descriptor>, FeedError> {
        let url = self.api_url(&["accounts"])?;
        let mut all = Vec::new();
        let mut key: Option<String> = None;
        loop {
            let query: Vec<_> = key.iter().map(|k| ("pageKey", k.clone())).collect();
            let page: Accounts = self.get(tokens, url.clone(), &query).await?;
            all.extend(page.accounts);
            match next(key.as_deref(), page.page)? {
                Some(k) => key = Some(k),
                None => return Ok(all),
            }
        }
    }

    /// One account with its balances.
    pub(super) async fn account(&self, tokens: &Tokens, id: &str) -> Result<Detailed, FeedError> {
        let url = self.api_url(&["accounts", id])?;
        self.get(tokens, url, &[]).await
    }

    /// Every transaction of `id` in the window `start..=end`, all pages.
    pub(super) async fn transactions(
        &self,
        tokens: &Tokens,
        id: &str,
        start: Date,
        end: Date,
    ) -> Result<Vec<Entry>, FeedError> {
        let url = self.api_url(&["accounts", id, "transactions"])?;
        let mut entries = Vec::new();
        let mut key: Option<String> = None;
        loop {
            let mut query = vec![
                ("startDate", start.to_string()),
                ("endDate", end.to_string()),
            ];
            query.extend(key.iter().map(|k| ("pageKey", k.clone())));
            let page: Transactions = self.get(tokens, url.clone(), &query).await?;
            for t in page.transactions {
                entries.push(t.entry()?);
            }
            match next(key.as_deref(), page.page)? {
                Some(k) => key = Some(k),
                None => return Ok(entries),
            }
        }
    }
}

/// The key of the next page; a key that does not move on would page forever.
fn next(current: Option<&str>, page: PageMetadata) -> Result<Option<String>, FeedError> {
    match page.next_page_key {
        Some(k) if Some(k.as_str()) == current => Err(FeedError::Invalid(format!(
            "the page key {k} repeats itself"
        ))),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_and_signed_by_their_memo() {
        let body = r#"{"page": {"nextPageKey": "2", "totalElements": 3}, "transactions": [
            {"accountCategory": "DEPOSIT_ACCOUNT", "transactionId": "t1", "postedTimestamp": "2024-01-03T09:00:00Z",
             "transactionTimestamp": "2024-01-02T00:00:00Z", "description": "Prairie Mills flour",
             "debitCreditMemo": "DEBIT", "amount": 184.20, "status": "POSTED"},
            {"accountCategory": "DEPOSIT_ACCOUNT", "transactionId": "t2", "postedTimestamp": "2024-01-03T09:00:00Z",
             "transactionTimestamp": "2024-01-03T00:00:00-05:00", "description": "Card sales", "payee": "Square",
             "debitCreditMemo": "CREDIT", "amount": 0.1, "status": "POSTED"}]}"#;
        let page: Transactions = serde_json::from_str(body).unwrap();
        assert_eq!(page.page.next_page_key.as_deref(), Some("2"));
        let entries: Vec<Entry> = page
            .transactions
            .into_iter()
            .map(|t| t.entry().unwrap())
            .collect();
        assert_eq!(entries[0].amount, "-184.20".parse().unwrap());
        assert_eq!(
            (entries[0].payee.as_str(), entries[0].memo.as_str()),
            ("Prairie Mills flour", "Prairie Mills flour")
        );
        assert_eq!(entries[1].amount, "0.1".parse().unwrap());
        assert_eq!(entries[1].payee, "Square");
        assert_eq!(entries[1].date, "2024-01-03T05:00:00Z".parse().unwrap());
    }

    #[test]
    fn paging_stops_at_the_last_page_and_on_a_key_that_repeats() {
        let page = |k: Option<&str>| PageMetadata {
            next_page_key: k.map(str::to_owned),
        };
        assert_eq!(
            next(None, page(Some("100"))).unwrap().as_deref(),
            Some("100")
        );
        assert_eq!(next(Some("100"), page(None)).unwrap(), None);
        assert!(next(Some("100"), page(Some("100"))).is_err());
    }

    #[test]
    fn details_carry_exact_balances() {
        let body = r#"{"accountCategory": "LOC_ACCOUNT", "accountId": "cc-001", "accountType": "CREDITCARD",
            "accountNumberDisplay": "••••9876", "productName": "Business Visa", "status": "OPEN",
            "currency": {"currencyCode": "USD"}, "balanceAsOf": "2024-01-03T09:00:00Z", "currentBalance": 87.55}"#;
        let detailed: Detailed = serde_json::from_str(body).unwrap();
        assert_eq!(detailed.current_balance, "87.55".parse().unwrap());
        assert_eq!(detailed.available_balance, None);
        assert_eq!(detailed.descriptor.account_category, "LOC_ACCOUNT");
    }
}
