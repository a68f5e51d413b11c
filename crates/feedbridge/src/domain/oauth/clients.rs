//! How a recipient proves who it is at the token, PAR and revocation endpoints:
//! `client_secret_basic` or `client_secret_post`, its secret compared as a keyed hash in
//! constant time.

use subtle::ConstantTimeEq;

use feedbridge_store::{Recipient, RecipientId, StoreError};

use super::OAuthError;
use crate::domain::{DomainResult, Services};

/// The client id and secret a request carried.
#[derive(Debug, Clone)]
pub struct ClientCredentials {
    pub id: String,
    pub secret: String,
}

impl Services {
    /// The recipient whose secret was given; any mistake is the one `invalid_client`.
    pub async fn authenticate_recipient(
        &self,
        client: &ClientCredentials,
    ) -> DomainResult<Result<Recipient, OAuthError>> {
        let given = self.recipient_secret_hash(&client.secret);
        let Ok(id) = client.id.parse::<RecipientId>() else {
            return Ok(Err(OAuthError::InvalidClient));
        };
        match self.store.get_recipient(id).await {
            Ok(r) if bool::from(r.secret_hash.ct_eq(&given)) => Ok(Ok(r)),
            Ok(_) | Err(StoreError::NotFound) => Ok(Err(OAuthError::InvalidClient)),
            Err(e) => Err(e.into()),
        }
    }
}
