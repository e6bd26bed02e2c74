-- Local writes waiting for the server. Each row is delivered with its idempotency key, in id
-- order, until the server has acknowledged it; delivered rows keep their delivery time.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    tries           INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    delivered_at    TEXT
);
CREATE INDEX outbox_pending ON outbox (id) WHERE delivered_at IS NULL;
