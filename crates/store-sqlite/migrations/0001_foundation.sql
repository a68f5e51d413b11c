-- The foundation schema: tenants, companies, connections, source accounts, credentials,
-- push operations, the outbox, the audit log and idempotency keys.
-- Timestamps are microseconds since the Unix epoch; money is decimal text, never a float.

CREATE TABLE clients (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    name TEXT NOT NULL,
    hash BLOB NOT NULL UNIQUE,
    created INTEGER NOT NULL,
    revoked INTEGER
);

CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    name TEXT NOT NULL,
    description TEXT,
    tags TEXT NOT NULL,
    created INTEGER NOT NULL
);
CREATE INDEX companies_by_client ON companies(client_id, created);

CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created INTEGER NOT NULL,
    last_sync INTEGER,
    link_generation INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX connections_by_company ON connections(company_id, created);

CREATE TABLE source_accounts (
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
    last_pulled INTEGER,
    linked_credential TEXT,
    created INTEGER NOT NULL,
    PRIMARY KEY (connection_id, id)
);

CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    username TEXT NOT NULL UNIQUE,
    password_mac BLOB NOT NULL,
    created INTEGER NOT NULL,
    paired INTEGER,
    revoked INTEGER
);
CREATE INDEX credentials_by_connection ON credentials(connection_id);

CREATE TABLE confirmation_codes (
    connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    expires INTEGER NOT NULL,
    failures INTEGER NOT NULL
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
    key TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    requested INTEGER NOT NULL,
    completed INTEGER,
    status TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    error_message TEXT,
    errors TEXT NOT NULL,
    warnings TEXT NOT NULL,
    timeout_in_minutes INTEGER,
    changes TEXT NOT NULL
);
CREATE INDEX push_operations_by_company ON push_operations(company_id, requested);

-- Events survive the deletion of what they describe: a connection.deleted must still be sent.
CREATE TABLE outbox_events (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    generated INTEGER NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    connection_id TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
    client_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    body BLOB,
    keep_until INTEGER NOT NULL,
    PRIMARY KEY (client_id, key)
);
