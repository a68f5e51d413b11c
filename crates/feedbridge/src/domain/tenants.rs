//! Clients (tenants) and API keys: creation for the CLI, authentication for every API request.

use feedbridge_store::{ApiKey, ApiKeyId, Client, ClientId, StoreError};

use super::{secrets, DomainError, DomainResult, OrNotFound, Services};

/// A key as shown once at creation.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub key: ApiKey,
    pub plaintext: String,
}

impl Services {
    /// Creates a client named `name` with its first key.
    pub async fn create_client(&self, name: &str) -> DomainResult<IssuedKey> {
        let name = name.trim();
        if name.is_empty() {
            return Err(DomainError::Invalid(
                "a client name must not be empty".into(),
            ));
        }
        let client = Client {
            id: ClientId::new(),
            name: name.to_owned(),
            created: self.now(),
        };
        self.store.insert_client(&client).await?;
        self.add_api_key(client.id, name).await
    }

    /// Adds a key to an existing client (key rotation).
    pub async fn add_api_key(&self, client: ClientId, name: &str) -> DomainResult<IssuedKey> {
        self.store
            .get_client(client)
            .await
            .or_not_found(|| format!("No client was found with ID {client}"))?;
        let plaintext = secrets::api_key();
        let key = ApiKey {
            id: ApiKeyId::new(),
            client_id: client,
            name: name.to_owned(),
            created: self.now(),
            revoked: None,
        };
        self.store
            .insert_api_key(&key, &self.api_key_hash(&plaintext))
            .await?;
        Ok(IssuedKey { key, plaintext })
    }

    /// Every key of every client (the operator's list; never the keys themselves).
    pub async fn api_keys(&self) -> DomainResult<Vec<ApiKey>> {
        Ok(self.store.list_api_keys().await?)
    }

    pub async fn revoke_api_key(&self, id: ApiKeyId) -> DomainResult<()> {
        self.store
            .revoke_api_key(id, self.now())
            .await
            .or_not_found(|| format!("No active API key was found with ID {id}"))
    }

    /// The client a presented key belongs to, if the key is known and not revoked.
    pub async fn authenticate(&self, presented: &str) -> DomainResult<Option<ClientId>> {
        match self.store.find_api_key(&self.api_key_hash(presented)).await {
            Ok(key) => Ok(Some(key.client_id)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Keys are looked up by a keyed hash: a stolen database does not reveal them, and lookup is
    /// one indexed equality (the key itself has ~238 bits, so no slow hash is needed).
    fn api_key_hash(&self, plaintext: &str) -> Vec<u8> {
        self.keys.api_keys.mac(&[plaintext.as_bytes()]).to_vec()
    }
}
