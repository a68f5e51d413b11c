//! One-time credential pairs for the accounting platform, their revocation, and the confirmation
//! code of the authentication prompt.
//!
//! A password is stored only as HMAC-SHA256 under a server key: it has ~143 bits of entropy, so a
//! slow hash would add cost without adding safety.

use jiff::SignedDuration;
use subtle::ConstantTimeEq;

use feedbridge_store::{
    ClientId, Company, CompanyId, ConfirmationCode, Connection, ConnectionId, Credential,
    CredentialId, Effects, SourceAccount, StoreError,
};

use super::events::EventType;
use super::status::{self, AccountCause, ConnectionCause};
use super::{secrets, DomainResult, Services};

/// How long a confirmation code stays valid.
pub const CODE_TTL: SignedDuration = SignedDuration::from_secs(600);
/// Wrong answers after which a confirmation code is burnt.
pub const CODE_MAX_FAILURES: u32 = 5;

/// A pair as shown once.
#[derive(Debug, Clone)]
pub struct IssuedCredentials {
    pub username: String,
    pub password: String,
    pub code: ConfirmationCode,
}

/// What a revocation did.
#[derive(Debug, Clone)]
pub struct Revocation {
    pub revoked: u64,
    /// Accounts that stopped receiving feeds.
    pub stopped: Vec<SourceAccount>,
    pub connection: Connection,
}

impl Services {
    pub fn password_mac(&self, username: &str, password: &str) -> Vec<u8> {
        self.keys
            .credentials
            .mac(&[username.as_bytes(), password.as_bytes()])
            .to_vec()
    }

    /// Checks a presented password in constant time.
    pub fn password_matches(&self, credential: &Credential, password: &str) -> bool {
        let mac = self.password_mac(&credential.username, password);
        bool::from(mac.ct_eq(&credential.password_mac))
    }

    /// Adds a new pair; earlier pairs stay valid.
    pub async fn generate_credentials(
        &self,
        company: &Company,
        conn: &Connection,
    ) -> DomainResult<IssuedCredentials> {
        let username = secrets::username();
        let password = secrets::password();
        let credential = Credential {
            id: CredentialId::new(),
            connection_id: conn.id,
            password_mac: self.password_mac(&username, &password),
            username: username.clone(),
            created: self.now(),
            paired: None,
            revoked: None,
            consumed: None,
        };
        let effects = Effects::none()
            .event(self.credentials_event(company, conn, EventType::CredentialsGenerated, 1))
            .audit(self.audit_entry(
                conn,
                "credentials.generated",
                format!("username {username}"),
            ));
        self.store.insert_credential(&credential, effects).await?;
        let code = self.confirmation_code(conn.id).await?;
        Ok(IssuedCredentials {
            username,
            password,
            code,
        })
    }

    /// The client API's generate: resolves the connection within the client's companies first.
    pub async fn generate_credentials_for(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> DomainResult<IssuedCredentials> {
        let (company, conn) = self.connection(client, company, id).await?;
        self.generate_credentials(&company, &conn).await
    }

    pub async fn revoke_credentials_for(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> DomainResult<Revocation> {
        let (company, conn) = self.connection(client, company, id).await?;
        self.revoke_credentials(&company, &conn, "revoked through the API")
            .await
    }

    /// Revokes every pair of the connection and stops the feeds set up with them.
    pub async fn revoke_credentials(
        &self,
        company: &Company,
        conn: &Connection,
        why: &str,
    ) -> DomainResult<Revocation> {
        let before = self.store.list_source_accounts(conn.id).await?;
        let stopped: Vec<SourceAccount> = before
            .into_iter()
            .filter_map(|mut a| {
                status::move_account(&mut a, AccountCause::CredentialsRevoked).then_some(a)
            })
            .collect();
        let mut updated = conn.clone();
        let mut effects = Effects::none();
        for account in &stopped {
            effects =
                effects.event(self.account_event(company, account, EventType::AccountDisconnected));
        }
        if status::move_connection(&mut updated, ConnectionCause::CredentialsRevoked) {
            effects = effects.event(self.connection_event(
                company,
                &updated,
                EventType::ConnectionDisconnected,
            ));
        }
        let active = self.store.list_credentials(conn.id).await?;
        let count = active.iter().filter(|c| c.revoked.is_none()).count() as u64;
        effects = effects
            .event(self.credentials_event(company, conn, EventType::CredentialsRevoked, count))
            .audit(self.audit_entry(
                conn,
                "credentials.revoked",
                format!("{count} pair(s), {why}"),
            ));
        let changed = (updated.status != conn.status).then_some(&updated);
        let revoked = self
            .store
            .revoke_credentials(conn.id, self.now(), &stopped, changed, effects)
            .await?;
        Ok(Revocation {
            revoked,
            stopped,
            connection: updated,
        })
    }

    /// Used by unlink: revokes everything and returns the connection as it now stands.
    pub(crate) async fn revoke_all(
        &self,
        company: &Company,
        conn: &Connection,
        why: &str,
    ) -> DomainResult<Connection> {
        Ok(self
            .revoke_credentials(company, conn, why)
            .await?
            .connection)
    }

    /// The connection's current confirmation code, or a new one when there is none still usable.
    pub async fn confirmation_code(
        &self,
        connection: ConnectionId,
    ) -> DomainResult<ConfirmationCode> {
        let now = self.now();
        match self.store.get_confirmation_code(connection).await {
            Ok(code) if code.expires > now && code.failures < CODE_MAX_FAILURES => return Ok(code),
            Ok(_) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
        let code = ConfirmationCode {
            connection_id: connection,
            code: secrets::confirmation_code(),
            expires: now + CODE_TTL,
            failures: 0,
        };
        self.store.put_confirmation_code(&code).await?;
        Ok(code)
    }

    /// The client API's `POST …/bankFeeds/otp`.
    pub async fn confirmation_code_for(
        &self,
        client: ClientId,
        company: CompanyId,
        id: ConnectionId,
    ) -> DomainResult<ConfirmationCode> {
        let (_, conn) = self.connection(client, company, id).await?;
        self.confirmation_code(conn.id).await
    }
}
