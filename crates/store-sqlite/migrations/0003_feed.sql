-- The OFX feed: access keys issued by the authentication prompt (kept only as keyed hashes)
-- and failed sign-ons, counted here so throttling holds across restarts and instances.

CREATE TABLE access_keys (
    hash BLOB PRIMARY KEY,
    credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
    created INTEGER NOT NULL
);

CREATE TABLE signon_throttle (
    username TEXT PRIMARY KEY,
    consecutive INTEGER NOT NULL,
    blocked_until INTEGER
);

CREATE TABLE signon_failures (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX signon_failures_by_username ON signon_failures(username, at);
CREATE INDEX signon_failures_by_address ON signon_failures(address, at);
CREATE INDEX signon_failures_by_time ON signon_failures(at);
