-- Link UI sessions: opened from a valid linkUrl, shared by every instance through the database.
-- The cookie holds a random id; only its keyed hash is stored here.

CREATE TABLE link_sessions (
    id_hash BYTEA PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    link_generation BIGINT NOT NULL,
    created BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires BIGINT NOT NULL,
    language TEXT NOT NULL
);
CREATE INDEX link_sessions_by_expiry ON link_sessions(expires);
