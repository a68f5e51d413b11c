-- Webhook endpoints of each client and the deliveries of outbox events to them.
-- A delivery row is written with its event, in the same transaction; the worker leases due rows
-- (lease_until) so a restart resumes exactly where it stopped.

CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients(id),
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    description TEXT,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_until BIGINT,
    created BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_by_client ON webhook_endpoints(client_id, created);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES outbox_events(id),
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt BIGINT,
    lease_until BIGINT,
    last_attempt BIGINT,
    last_status_code BIGINT,
    last_error TEXT,
    created BIGINT NOT NULL,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt);
CREATE INDEX webhook_deliveries_by_client ON webhook_deliveries(client_id, created);
