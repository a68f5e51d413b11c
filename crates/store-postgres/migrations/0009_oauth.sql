-- OpenID Connect for the FDX feed: the data recipients the institution registers, the keys that
-- sign their tokens, authorization requests in progress, and consents with their one-time codes
-- and refresh tokens. Secrets are kept only as keyed hashes; private keys sealed under the master
-- secret. A credential pair an FDX consent consumed is marked so, and signs in nowhere else.

ALTER TABLE credentials ADD COLUMN consumed BIGINT;

CREATE TABLE oauth_recipients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash BYTEA NOT NULL,
    redirect_uris TEXT NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE oauth_signing_keys (
    kid TEXT PRIMARY KEY,
    x TEXT NOT NULL,
    y TEXT NOT NULL,
    sealed_private BYTEA NOT NULL,
    created BIGINT NOT NULL,
    retire_after BIGINT
);

CREATE TABLE oauth_requests (
    id_hash BYTEA PRIMARY KEY,
    recipient_id TEXT NOT NULL REFERENCES oauth_recipients(id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    state TEXT,
    nonce TEXT,
    code_challenge TEXT NOT NULL,
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL,
    language TEXT NOT NULL,
    credential_id TEXT REFERENCES credentials(id) ON DELETE CASCADE,
    confirmed BIGINT NOT NULL
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
    created BIGINT NOT NULL,
    expires BIGINT NOT NULL,
    revoked BIGINT,
    revoke_reason TEXT,
    revoke_initiator TEXT
);
CREATE INDEX consents_by_connection ON consents(connection_id, created);
CREATE INDEX consents_by_recipient ON consents(recipient_id);
CREATE INDEX consents_by_credential ON consents(credential_id);

CREATE TABLE oauth_codes (
    hash BYTEA PRIMARY KEY,
    consent_id TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    recipient_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    nonce TEXT,
    expires BIGINT NOT NULL,
    used BIGINT
);
CREATE INDEX oauth_codes_by_consent ON oauth_codes(consent_id);

CREATE TABLE oauth_refresh_tokens (
    hash BYTEA PRIMARY KEY,
    consent_id TEXT NOT NULL REFERENCES consents(id) ON DELETE CASCADE,
    created BIGINT NOT NULL,
    spent BIGINT
);
CREATE INDEX oauth_refresh_tokens_by_consent ON oauth_refresh_tokens(consent_id);
