//! Push operations read back (`GET …/push`, `GET …/push/{key}`), always through the client's
//! companies.

use feedbridge_store::{ClientId, CompanyId, PushOperation, PushOperationKey};

use crate::domain::{DomainResult, OrNotFound, Services};

impl Services {
    /// A company's push operations, Failed ones included.
    pub async fn push_operations(
        &self,
        client: ClientId,
        company: CompanyId,
    ) -> DomainResult<Vec<PushOperation>> {
        let company = self.company(client, company).await?;
        Ok(self.store.list_push_operations(company.id).await?)
    }

    pub async fn push_operation(
        &self,
        client: ClientId,
        company: CompanyId,
        key: PushOperationKey,
    ) -> DomainResult<PushOperation> {
        let company = self.company(client, company).await?;
        self.store
            .get_push_operation(company.id, key)
            .await
            .or_not_found(|| no_push_operation(key))
    }
}

/// What a lookup of a push operation that is not the company's answers, for any key sent.
pub fn no_push_operation(key: impl std::fmt::Display) -> String {
    format!("No push operation was found with key {key}")
}
