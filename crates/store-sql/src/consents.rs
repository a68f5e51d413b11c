//! The `ConsentStore` contract: a consent with its code, its refresh tokens and its end.
//!
//! The single-use rules live in the statements themselves: a code is spent and a refresh token
//! rotated by an `UPDATE … WHERE … IS NULL`, so of two instances racing for one, exactly one
//! changes the row and the other sees it spent.

use async_trait::async_trait;
use jiff::Timestamp;

use feedbridge_store::{
    AuthorizationCode, Connection, ConnectionId, Consent, ConsentId, ConsentRevocation,
    ConsentStore, Credential, CredentialId, Effects, RecipientId, Redeemed, RefreshToken, Rotation,
    SourceAccount, SourceAccountId, StoreError, StoreResult,
};

use crate::accounts::update_account;
use crate::backend::Backend;
use crate::companies::update_connection;
use crate::credentials::{credential, GET_CREDENTIAL};
use crate::effects;
use crate::row::{corrupt, json, Row};
use crate::stmt::Stmt;
use crate::store::{Change, SqlStore};

macro_rules! consent_columns {
    () => {
        "id, recipient_id, connection_id, credential_id, accounts, data_clusters, scope, \
         created, expires, revoked, revoke_reason, revoke_initiator"
    };
}

macro_rules! code_columns {
    () => {
        "hash, consent_id, recipient_id, redirect_uri, code_challenge, nonce, expires"
    };
}

#[async_trait]
impl<B: Backend> ConsentStore for SqlStore<B> {
    async fn grant_consent(
        &self,
        consent: &Consent,
        code: &AuthorizationCode,
        request_hash: &[u8],
        effects: Effects,
    ) -> StoreResult<()> {
        let consume = Stmt::new(
            "UPDATE credentials SET paired = $2, consumed = $2 \
             WHERE id = $1 AND revoked IS NULL AND paired IS NULL",
        )
        .text(consent.credential_id)
        .ts(consent.created);
        let steps = vec![
            insert_consent(consent)?,
            insert_code(code),
            Stmt::new("DELETE FROM oauth_requests WHERE id_hash = $1").bytes(request_hash),
        ];
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    if B::execute(c, consume).await? == 0 {
                        return Err(StoreError::Conflict(
                            "the credential pair is revoked or already paired".into(),
                        ));
                    }
                    for step in steps {
                        B::execute(c, step).await?;
                    }
                    effects::write::<B>(c, &effects).await
                })
            })
            .await
    }

    async fn redeem_code(
        &self,
        hash: &[u8],
        recipient: RecipientId,
        at: Timestamp,
    ) -> StoreResult<Redeemed> {
        let spend = Stmt::new(concat!(
            "UPDATE oauth_codes SET used = $3 \
             WHERE hash = $1 AND recipient_id = $2 AND used IS NULL RETURNING ",
            code_columns!()
        ))
        .bytes(hash)
        .text(recipient)
        .ts(at);
        let spent = Stmt::new(concat!(
            "SELECT ",
            code_columns!(),
            " FROM oauth_codes WHERE hash = $1 AND recipient_id = $2"
        ))
        .bytes(hash)
        .text(recipient);
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    if let Some(fresh) = B::fetch(c, spend, authorization_code).await?.pop() {
                        return Ok(Redeemed::Fresh(fresh));
                    }
                    let replayed = B::fetch(c, spent, authorization_code).await?.pop();
                    replayed.map(Redeemed::Replayed).ok_or(StoreError::NotFound)
                })
            })
            .await
    }

    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()> {
        let insert = Stmt::new(
            "INSERT INTO oauth_refresh_tokens (hash, consent_id, created) VALUES ($1, $2, $3)",
        )
        .bytes(token.hash.as_slice())
        .text(token.consent)
        .ts(token.created);
        self.write(Change::new().then(insert)).await
    }

    async fn rotate_refresh_token(
        &self,
        presented: &[u8],
        next: &[u8],
        recipient: RecipientId,
        at: Timestamp,
    ) -> StoreResult<Rotation> {
        let find = find_token(presented, recipient);
        let spend = Stmt::new(
            "UPDATE oauth_refresh_tokens SET spent = $2 WHERE hash = $1 AND spent IS NULL",
        )
        .bytes(presented)
        .ts(at);
        let next = next.to_vec();
        self.backend()
            .write(move |c| {
                Box::pin(async move {
                    let Some(consent) = B::fetch(c, find, |row| row.parse("consent_id"))
                        .await?
                        .pop()
                    else {
                        return Err(StoreError::NotFound);
                    };
                    // Of two rotations racing, the second finds the token spent.
                    if B::execute(c, spend).await? == 0 {
                        return Ok(Rotation::Replayed(consent));
                    }
                    let successor = Stmt::new(
                        "INSERT INTO oauth_refresh_tokens (hash, consent_id, created) \
                         VALUES ($1, $2, $3)",
                    )
                    .bytes(next)
                    .text(consent)
                    .ts(at);
                    B::execute(c, successor).await?;
                    Ok(Rotation::Rotated(consent))
                })
            })
            .await
    }

    async fn find_refresh_token(
        &self,
        hash: &[u8],
        recipient: RecipientId,
    ) -> StoreResult<ConsentId> {
        self.read_one(find_token(hash, recipient), |row| row.parse("consent_id"))
            .await
    }

    async fn get_consent(&self, id: ConsentId) -> StoreResult<Consent> {
        let select = Stmt::new(concat!(
            "SELECT ",
            consent_columns!(),
            " FROM consents WHERE id = $1"
        ))
        .text(id);
        self.read_one(select, consent).await
    }

    async fn get_credential(&self, id: CredentialId) -> StoreResult<Credential> {
        self.read_one(Stmt::new(GET_CREDENTIAL).text(id), credential)
            .await
    }

    async fn list_consents(&self, connection: ConnectionId) -> StoreResult<Vec<Consent>> {
        let select = Stmt::new(concat!(
            "SELECT ",
            consent_columns!(),
            " FROM consents WHERE connection_id = $1 ORDER BY created, id"
        ))
        .text(connection);
        self.read_all(select, consent).await
    }

    async fn end_consent(
        &self,
        id: ConsentId,
        revocation: &ConsentRevocation,
        stopped: &[SourceAccount],
        connection: Option<&Connection>,
        effects: Effects,
    ) -> StoreResult<()> {
        let revoke = Stmt::new(
            "UPDATE consents SET revoked = $2, revoke_reason = $3, revoke_initiator = $4 \
             WHERE id = $1 AND revoked IS NULL",
        )
        .text(id)
        .ts(revocation.at)
        .text(&revocation.reason)
        .text(&revocation.initiator);
        let pair = Stmt::new(
            "UPDATE credentials SET revoked = $2 \
             WHERE id = (SELECT credential_id FROM consents WHERE id = $1) AND revoked IS NULL",
        )
        .text(id)
        .ts(revocation.at);
        let mut change = Change::new().changing(revoke).then(pair);
        for account in stopped {
            change = change.changing(update_account(account));
        }
        if let Some(conn) = connection {
            change = change.changing(update_connection(conn));
        }
        self.write(change.effects(effects)).await
    }
}

fn find_token(hash: &[u8], recipient: RecipientId) -> Stmt {
    Stmt::new(
        "SELECT t.consent_id FROM oauth_refresh_tokens t \
         JOIN consents c ON c.id = t.consent_id WHERE t.hash = $1 AND c.recipient_id = $2",
    )
    .bytes(hash)
    .text(recipient)
}

fn insert_consent(c: &Consent) -> StoreResult<Stmt> {
    let accounts: Vec<&str> = c.accounts.iter().map(|a| a.as_str()).collect();
    Ok(Stmt::new(concat!(
        "INSERT INTO consents (",
        consent_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .text(c.id)
    .text(c.recipient)
    .text(c.connection_id)
    .text(c.credential_id)
    .text(json(&accounts)?)
    .text(json(&c.data_clusters)?)
    .text(&c.scope)
    .ts(c.created)
    .ts(c.expires)
    .opt_ts(c.revocation.as_ref().map(|r| r.at))
    .opt_text(c.revocation.as_ref().map(|r| r.reason.as_str()))
    .opt_text(c.revocation.as_ref().map(|r| r.initiator.as_str())))
}

fn insert_code(code: &AuthorizationCode) -> Stmt {
    Stmt::new(concat!(
        "INSERT INTO oauth_codes (",
        code_columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bytes(code.hash.as_slice())
    .text(code.consent)
    .text(code.recipient)
    .text(&code.redirect_uri)
    .text(&code.code_challenge)
    .opt_text(code.nonce.as_deref())
    .ts(code.expires)
}

fn consent(row: Row<'_>) -> StoreResult<Consent> {
    let accounts: Vec<String> = row.json("accounts")?;
    let revocation = match row.opt_ts("revoked")? {
        Some(at) => Some(ConsentRevocation {
            at,
            reason: row.string("revoke_reason")?,
            initiator: row.string("revoke_initiator")?,
        }),
        None => None,
    };
    Ok(Consent {
        id: row.parse("id")?,
        recipient: row.parse("recipient_id")?,
        connection_id: row.parse("connection_id")?,
        credential_id: row.parse("credential_id")?,
        accounts: accounts
            .iter()
            .map(|a| SourceAccountId::parse(a).map_err(corrupt))
            .collect::<StoreResult<_>>()?,
        data_clusters: row.json("data_clusters")?,
        scope: row.string("scope")?,
        created: row.ts("created")?,
        expires: row.ts("expires")?,
        revocation,
    })
}

fn authorization_code(row: Row<'_>) -> StoreResult<AuthorizationCode> {
    Ok(AuthorizationCode {
        hash: row.bytes("hash")?,
        consent: row.parse("consent_id")?,
        recipient: row.parse("recipient_id")?,
        redirect_uri: row.string("redirect_uri")?,
        code_challenge: row.string("code_challenge")?,
        nonce: row.opt_string("nonce")?,
        expires: row.ts("expires")?,
    })
}
