-- The foundation schema, table for table and column for column the SQLite one of the same number.
-- Timestamps are BIGINT microseconds since the Unix epoch, so both backends map them identically.
-- Money is decimal TEXT, not NUMERIC: the amount a client sent (4002.0, 12.50) comes back with the
-- same digits, and no float ever touches it. JSON documents are TEXT for the same reason (JSONB
-- would reorder keys and renormalise numbers). Ids are the UUID or client text as sent.
-- Tables listed in creation order carry `seq`, PostgreSQL's stand-in for SQLite's rowid, to break
-- ties between rows created within the same microsecond.

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    name TEXT NOT NULL,
    hash BYTEA NOT NULL UNIQUE,
    created BIGINT NOT NULL,
    revoked BIGINT
);

CREATE TABLE companies (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    name TEXT NOT NULL,
    description TEXT,
    tags TEXT NOT NULL,
    created BIGINT NOT NULL
);
CREATE INDEX companies_by_client ON companies(client_id, created);

CREATE TABLE connections (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created BIGINT NOT NULL,
    last_sync BIGINT,
    link_generation BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX connections_by_company ON connections(company_id, created);

CREATE TABLE source_accounts (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    shape TEXT NOT NULL,
    account_name TEXT,
    account_type TEXT,
    account_number TEXT,
    sort_code TEXT,
    currency TEXT,
    balance TEXT,
    routing_info TEXT,
    account_info TEXT,
    modified_date TEXT,
    status TEXT NOT NULL,
    feed_start_date TEXT,
    last_pulled BIGINT,
    linked_credential TEXT,
    created BIGINT NOT NULL,
    PRIMARY KEY (connection_id, id)
);

CREATE TABLE credentials (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    username TEXT NOT NULL UNIQUE,
    password_mac BYTEA NOT NULL,
    created BIGINT NOT NULL,
    paired BIGINT,
    revoked BIGINT
);
CREATE INDEX credentials_by_connection ON credentials(connection_id);

CREATE TABLE confirmation_codes (
    connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    expires BIGINT NOT NULL,
    failures BIGINT NOT NULL
);

CREATE TABLE bank_transactions (
    connection_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    id TEXT NOT NULL,
    date TEXT NOT NULL,
    description TEXT NOT NULL,
    amount TEXT NOT NULL,
    balance TEXT,
    transaction_type TEXT NOT NULL,
    counterparty TEXT,
    reference TEXT,
    PRIMARY KEY (connection_id, account_id, id),
    FOREIGN KEY (connection_id, account_id)
        REFERENCES source_accounts(connection_id, id) ON DELETE CASCADE
);
CREATE INDEX bank_transactions_by_date ON bank_transactions(connection_id, account_id, date);

CREATE TABLE push_operations (
    seq BIGINT GENERATED ALWAYS AS IDENTITY,
    key TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    requested BIGINT NOT NULL,
    completed BIGINT,
    status TEXT NOT NULL,
    status_code BIGINT NOT NULL,
    error_message TEXT,
    errors TEXT NOT NULL,
    warnings TEXT NOT NULL,
    timeout_in_minutes INTEGER,
    changes TEXT NOT NULL
);
CREATE INDEX push_operations_by_company ON push_operations(company_id, requested);

-- Events survive the deletion of what they describe: a connection.deleted must still be sent.
CREATE TABLE outbox_events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    generated BIGINT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    connection_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
    client_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash BYTEA NOT NULL,
    state TEXT NOT NULL,
    status BIGINT,
    body BYTEA,
    keep_until BIGINT NOT NULL,
    PRIMARY KEY (client_id, key)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys(keep_until);
