-- The OFX feed (same tables as the SQLite migration of this number): access keys issued by the authentication prompt (kept only as keyed hashes)
-- and failed sign-ons, counted here so throttling holds across restarts and instances.

CREATE TABLE access_keys (
    hash BYTEA PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    created BIGINT NOT NULL
);

CREATE TABLE signon_throttle (
    username TEXT PRIMARY KEY,
    consecutive BIGINT NOT NULL,
    blocked_until BIGINT
);

CREATE TABLE signon_failures (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX signon_failures_by_username ON signon_failures(username, at);
CREATE INDEX signon_failures_by_address ON signon_failures(address, at);
CREATE INDEX signon_failures_by_time ON signon_failures(at);

-- Statement listings order transactions of one date in arrival order; SQLite has its rowid for
-- that, here a generated sequence stands in (existing rows are numbered as the column is added).
ALTER TABLE bank_transactions ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
