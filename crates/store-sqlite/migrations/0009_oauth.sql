-- OpenID Connect for the FDX feed: the data recipients the institution registers, the keys that
-- sign their tokens, authorization requests in progress, and consents with their one-time codes
-- and refresh tokens. Secrets are kept only as keyed hashes; private keys sealed under the master
-- secret. A credential pair an FDX consent consumed is marked so, and signs in nowhere else.

ALTER TABLE credentials ADD COLUMN consumed INTEGER;

CREATE TABLE oauth_recipients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash BLOB NOT NULL,
    redirect_uris TEXT NOT NULL,
    created INTEGER NOT NULL
);

CREATE TABLE oauth_signing_keys (
    kid TEXT PRIMARY KEY,
    x TEXT NOT NULL,
    y TEXT NOT NULL,
    sealed_private BLOB NOT NULL,
    created INTEGER NOT NULL,
    retire_after INTEGER
);

CREATE TABLE oauth_requests (
    id_hash BLOB PRIMARY KEY,
    recipient_id TEXT NOT NULL REFERENCES oauth_recipients(id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    state TEXT,
    nonce TEXT,
    code_challenge TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    language TEXT NOT NULL,
    credential_id TEXT REFERENCES credentials(id) ON DELETE CASCADE,
    confirmed INTEGER NOT NULL
);
CREATE INDEX oauth_requests_by_expiry ON oauth_requests(expires);

CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    recipient_id TEXT NOT NULL REFERENCES oauth_recipients(id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    accounts TEXT NOT NULL,
    data_clusters TEXT NOT NULL,
    scope TEXT NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    revoked INTEGER,
    revoke_reason TEXT,
    revoke_initiator TEXT
);
CREATE INDEX consents_by_connection ON consents(connection_id, created);
CREATE INDEX consents_by_recipient ON consents(recipient_id);
CREATE INDEX consents_by_credential ON consents(credential_id);

CREATE TABLE oauth_codes (
    hash BLOB PRIMARY KEY,
    consent_id TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    recipient_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    nonce TEXT,
    expires INTEGER NOT NULL,
    used INTEGER
);
CREATE INDEX oauth_codes_by_consent ON oauth_codes(consent_id);

CREATE TABLE oauth_refresh_tokens (
    hash BLOB PRIMARY KEY,
    consent_id TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    created INTEGER NOT NULL,
    spent INTEGER
);
CREATE INDEX oauth_refresh_tokens_by_consent ON oauth_refresh_tokens(consent_id);
