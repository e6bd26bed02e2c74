-- Writes delivered by clients, one row per idempotency key: a repeat of a key is answered
-- from here and never applied again. `deliveries` counts how often the key arrived.
CREATE TABLE writes (
    idempotency_key TEXT PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    deliveries      INTEGER NOT NULL DEFAULT 1
);

-- The user's settings as written through `setting` writes; the latest write wins.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    written_by TEXT NOT NULL REFERENCES writes (idempotency_key)
);
