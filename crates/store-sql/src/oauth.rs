//! The `OAuthStore` contract: data recipients, token signing keys and authorization requests in
//! progress (`consents.rs` keeps what a sign-in grants).

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{
    AuthorizationRequest, OAuthStore, Recipient, RecipientId, SigningKey, StoreError, StoreResult,
};

use crate::backend::Backend;
use crate::row::{json, Row};
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

macro_rules! recipient_columns {
    () => {
        "id, name, secret_hash, redirect_uris, created"
    };
}

macro_rules! key_columns {
    () => {
        "kid, x, y, sealed_private, created, retire_after"
    };
}

macro_rules! request_columns {
    () => {
        "id_hash, recipient_id, redirect_uri, scope, state, nonce, code_challenge, created, \
         expires, language, credential_id, confirmed"
    };
}

#[async_trait]
impl<B: Backend> OAuthStore for SqlStore<B> {
    async fn insert_recipient(&self, r: &Recipient) -> StoreResult<()> {
        let insert = Stmt::new(concat!(
            "INSERT INTO oauth_recipients (",
            recipient_columns!(),
            ") VALUES ($1, $2, $3, $4, $5)"
        ))
        .text(r.id)
        .text(&r.name)
        .bytes(r.secret_hash.as_slice())
        .text(json(&r.redirect_uris)?)
        .ts(r.created);
        self.write(Change::new().then(insert)).await
    }

    async fn get_recipient(&self, id: RecipientId) -> StoreResult<Recipient> {
        let select = Stmt::new(concat!(
            "SELECT ",
            recipient_columns!(),
            " FROM oauth_recipients WHERE id = $1"
        ))
        .text(id);
        self.read_one(select, recipient).await
    }

    async fn list_recipients(&self) -> StoreResult<Vec<Recipient>> {
        let select = Stmt::new(concat!(
            "SELECT ",
            recipient_columns!(),
            " FROM oauth_recipients ORDER BY created, id"
        ));
        self.read_all(select, recipient).await
    }

    async fn set_recipient_secret(&self, id: RecipientId, secret_hash: &[u8]) -> StoreResult<()> {
        let update = Stmt::new("UPDATE oauth_recipients SET secret_hash = $2 WHERE id = $1")
            .text(id)
            .bytes(secret_hash);
        self.write(Change::new().changing(update)).await
    }

    async fn set_recipient_redirect_uris(
        &self,
        id: RecipientId,
        redirect_uris: &[String],
    ) -> StoreResult<()> {
        let update = Stmt::new("UPDATE oauth_recipients SET redirect_uris = $2 WHERE id = $1")
            .text(id)
            .text(json(&redirect_uris)?);
        self.write(Change::new().changing(update)).await
    }

    async fn delete_recipient(&self, id: RecipientId) -> StoreResult<()> {
        let delete = Stmt::new("DELETE FROM oauth_recipients WHERE id = $1").text(id);
        self.write(Change::new().changing(delete)).await
    }

    async fn insert_signing_key(
        &self,
        key: &SigningKey,
        retire_others_after: Option<Timestamp>,
    ) -> StoreResult<()> {
        let mut change = Change::new();
        if let Some(after) = retire_others_after {
            change = change.then(
                Stmt::new(
                    "UPDATE oauth_signing_keys SET retire_after = $1 WHERE retire_after IS NULL",
                )
                .ts(after),
            );
        }
        let insert = Stmt::new(concat!(
            "INSERT INTO oauth_signing_keys (",
            key_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .text(&key.kid)
        .text(&key.x)
        .text(&key.y)
        .bytes(key.sealed_private.as_slice())
        .ts(key.created)
        .opt_ts(key.retire_after);
        self.write(change.then(insert)).await
    }

    async fn list_signing_keys(&self, at: Timestamp) -> StoreResult<Vec<SigningKey>> {
        let select = Stmt::new(concat!(
            "SELECT ",
            key_columns!(),
            " FROM oauth_signing_keys WHERE retire_after IS NULL OR retire_after > $1 \
             ORDER BY created DESC, kid DESC"
        ))
        .ts(at);
        self.read_all(select, |row| {
            Ok(SigningKey {
                kid: row.string("kid")?,
                x: row.string("x")?,
                y: row.string("y")?,
                sealed_private: row.bytes("sealed_private")?,
                created: row.ts("created")?,
                retire_after: row.opt_ts("retire_after")?,
            })
        })
        .await
    }

    async fn insert_authorization_request(&self, r: &AuthorizationRequest) -> StoreResult<()> {
        let insert = Stmt::new(concat!(
            "INSERT INTO oauth_requests (",
            request_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bytes(r.id_hash.as_slice())
        .text(r.recipient)
        .text(&r.redirect_uri)
        .text(&r.scope)
        .opt_text(r.state.as_deref())
        .opt_text(r.nonce.as_deref())
        .text(&r.code_challenge)
        .ts(r.created)
        .ts(r.expires)
        .text(&r.language)
        .opt_text(r.credential)
        .int(i64::from(r.confirmed));
        self.write(Change::new().then(insert)).await
    }

    async fn get_authorization_request(&self, id_hash: &[u8]) -> StoreResult<AuthorizationRequest> {
        let select = Stmt::new(concat!(
            "SELECT ",
            request_columns!(),
            " FROM oauth_requests WHERE id_hash = $1"
        ))
        .bytes(id_hash);
        self.read_one(select, request).await
    }

    async fn update_authorization_request(&self, r: &AuthorizationRequest) -> StoreResult<()> {
        let update = Stmt::new(
            "UPDATE oauth_requests SET language = $2, credential_id = $3, confirmed = $4 \
             WHERE id_hash = $1",
        )
        .bytes(r.id_hash.as_slice())
        .text(&r.language)
        .opt_text(r.credential)
        .int(i64::from(r.confirmed));
        self.write(Change::new().changing(update)).await
    }

    async fn take_authorization_request(
        &self,
        id_hash: &[u8],
    ) -> StoreResult<AuthorizationRequest> {
        let delete = Stmt::new(concat!(
            "DELETE FROM oauth_requests WHERE id_hash = $1 RETURNING ",
            request_columns!()
        ))
        .bytes(id_hash);
        let taken = self
            .backend()
            .write(move |c| Box::pin(async move { B::fetch(c, delete, request).await }))
            .await?;
        taken.into_iter().next().ok_or(StoreError::NotFound)
    }

    async fn purge_authorization_requests(&self, before: Timestamp) -> StoreResult<u64> {
        let delete = Stmt::new("DELETE FROM oauth_requests WHERE expires < $1").ts(before);
        self.write_counting(Change::new().then(delete)).await
    }
}

fn recipient(row: Row<'_>) -> StoreResult<Recipient> {
    Ok(Recipient {
        id: row.parse("id")?,
        name: row.string("name")?,
        secret_hash: row.bytes("secret_hash")?,
        redirect_uris: row.json("redirect_uris")?,
        created: row.ts("created")?,
    })
}

fn request(row: Row<'_>) -> StoreResult<AuthorizationRequest> {
    Ok(AuthorizationRequest {
        id_hash: row.bytes("id_hash")?,
        recipient: row.parse("recipient_id")?,
        redirect_uri: row.string("redirect_uri")?,
        scope: row.string("scope")?,
        state: row.opt_string("state")?,
        nonce: row.opt_string("nonce")?,
        code_challenge: row.string("code_challenge")?,
        created: row.ts("created")?,
        expires: row.ts("expires")?,
        language: row.string("language")?,
        credential: row.opt_parse("credential_id")?,
        confirmed: row.int("confirmed")? != 0,
    })
}
