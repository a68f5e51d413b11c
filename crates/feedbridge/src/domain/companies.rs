//! Companies: Codat's name rule (forbidden characters are stripped, not refused), tags, and the
//! tenant scoping every lookup goes through.

use std::collections::BTreeMap;

use feedbridge_store::{ClientId, Company, CompanyId, Connection, Effects};

use super::events::EventType;
use super::{DomainError, DomainResult, OrNotFound, Services};

/// A company body as sent; `None` means the field was absent or null.
#[derive(Debug, Default, Clone)]
pub struct CompanyInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub tags: Option<BTreeMap<String, String>>,
}

/// Keeps only the characters Codat's name pattern allows.
pub fn clean_name(raw: &str) -> DomainResult<String> {
    let kept: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || c.is_whitespace() || "-',&@.?!".contains(*c))
        .collect();
    let kept = kept.trim().to_owned();
    if kept.is_empty() {
        return Err(DomainError::Invalid(
            "Company name must contain at least one letter or digit.".into(),
        ));
    }
    Ok(kept)
}

fn check_tags(tags: &BTreeMap<String, String>) -> DomainResult<()> {
    let bad = |m: &str| Err(DomainError::Invalid(m.to_owned()));
    if tags.len() > 10 {
        return bad("A company may have at most 10 tags.");
    }
    for (key, value) in tags {
        if key.is_empty() || key.chars().count() > 27 {
            return bad("Tag keys must be 1 to 27 characters long.");
        }
        if value.chars().count() > 100 {
            return bad("Tag values must be at most 100 characters long.");
        }
    }
    Ok(())
}

/// What a lookup of a company that is not the client's answers, for any id sent.
pub fn no_company(id: impl std::fmt::Display) -> String {
    format!("No company was found with ID {id}")
}

impl Services {
    pub async fn create_company(
        &self,
        client: ClientId,
        input: CompanyInput,
    ) -> DomainResult<Company> {
        let name = clean_name(input.name.as_deref().unwrap_or_default())?;
        let tags = input.tags.unwrap_or_default();
        check_tags(&tags)?;
        let company = Company {
            id: CompanyId::new(),
            client_id: client,
            name,
            description: input.description,
            tags,
            created: self.now(),
        };
        self.store.insert_company(&company, Effects::none()).await?;
        Ok(company)
    }

    pub async fn list_companies(&self, client: ClientId) -> DomainResult<Vec<Company>> {
        Ok(self.store.list_companies(client).await?)
    }

    /// The connections of a company the caller already looked up through its client.
    pub async fn company_connections(&self, company: &Company) -> DomainResult<Vec<Connection>> {
        Ok(self.store.list_connections(company.id).await?)
    }

    /// The company behind a `redirect` page, which anyone may open: it names the company only by
    /// the id already in its address.
    pub async fn redirect_company(&self, id: CompanyId) -> DomainResult<Company> {
        self.store
            .find_company(id)
            .await
            .or_not_found(|| no_company(id))
    }

    pub async fn company(&self, client: ClientId, id: CompanyId) -> DomainResult<Company> {
        self.store
            .get_company(client, id)
            .await
            .or_not_found(|| no_company(id))
    }

    /// PATCH: absent or null fields stay as they are.
    pub async fn update_company(
        &self,
        client: ClientId,
        id: CompanyId,
        input: CompanyInput,
    ) -> DomainResult<Company> {
        let mut company = self.company(client, id).await?;
        if let Some(name) = input.name {
            company.name = clean_name(&name)?;
        }
        if input.description.is_some() {
            company.description = input.description;
        }
        if let Some(tags) = input.tags {
            check_tags(&tags)?;
            company.tags = tags;
        }
        self.store
            .update_company(&company)
            .await
            .or_not_found(|| no_company(id))?;
        Ok(company)
    }

    /// PUT: every field is overwritten, absent ones with nothing.
    pub async fn replace_company(
        &self,
        client: ClientId,
        id: CompanyId,
        input: CompanyInput,
    ) -> DomainResult<Company> {
        let mut company = self.company(client, id).await?;
        company.name = clean_name(input.name.as_deref().unwrap_or_default())?;
        company.description = input.description;
        let tags = input.tags.unwrap_or_default();
        check_tags(&tags)?;
        company.tags = tags;
        self.store
            .update_company(&company)
            .await
            .or_not_found(|| no_company(id))?;
        Ok(company)
    }

    /// Deletes the company with its connections, telling webhooks each connection is gone.
    pub async fn delete_company(&self, client: ClientId, id: CompanyId) -> DomainResult<()> {
        let company = self.company(client, id).await?;
        let mut effects = Effects::none();
        for conn in self.store.list_connections(id).await? {
            effects =
                effects.event(self.connection_event(&company, &conn, EventType::ConnectionDeleted));
        }
        self.store
            .delete_company(client, id, effects)
            .await
            .or_not_found(|| no_company(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_stripped() {
        assert_eq!(clean_name("Company (Codat[1])").unwrap(), "Company Codat1");
        assert_eq!(
            clean_name("Bob's Bikes & Co.").unwrap(),
            "Bob's Bikes & Co."
        );
        assert!(clean_name("<>[]").is_err());
        assert!(clean_name("").is_err());
    }

    #[test]
    fn tags_are_bounded() {
        let many: BTreeMap<_, _> = (0..11).map(|i| (format!("k{i}"), "v".into())).collect();
        assert!(check_tags(&many).is_err());
        let long_key = BTreeMap::from([("k".repeat(28), "v".into())]);
        assert!(check_tags(&long_key).is_err());
        let fine = BTreeMap::from([("region".to_owned(), "uk".to_owned())]);
        check_tags(&fine).unwrap();
    }
}
