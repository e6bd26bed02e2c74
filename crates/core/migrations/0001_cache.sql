-- The local cache: a projection of the Green API's three feeds plus each feed's cursor.
-- Instants are UTC text in one fixed format (YYYY-MM-DDTHH:MM:SS.sssZ), so text order is time order.

CREATE TABLE bills (
    id            TEXT PRIMARY KEY NOT NULL,
    occurred_at   TEXT NOT NULL,
    merchant      TEXT NOT NULL,
    item          TEXT NOT NULL,
    category      TEXT NOT NULL,
    amount_minor  INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    certification TEXT NOT NULL,
    carbon_g      INTEGER,
    carbon_method TEXT,
    status        TEXT NOT NULL,
    version       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX bills_by_time ON bills (occurred_at);
CREATE INDEX bills_by_category ON bills (category, occurred_at);

CREATE TABLE offers (
    id            TEXT PRIMARY KEY NOT NULL,
    merchant      TEXT NOT NULL,
    product       TEXT NOT NULL,
    category      TEXT NOT NULL,
    certification TEXT NOT NULL,
    price_minor   INTEGER NOT NULL,
    currency      TEXT NOT NULL,
    plans_json    TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    version       INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE carbon_entries (
    id          TEXT PRIMARY KEY NOT NULL,
    bill_id     TEXT,
    grams       INTEGER NOT NULL,
    method      TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    version     INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX carbon_by_time ON carbon_entries (occurred_at);

-- One row per feed: where to continue, and when a page was last applied.
CREATE TABLE sync_cursors (
    collection TEXT PRIMARY KEY NOT NULL,
    cursor     TEXT NOT NULL,
    synced_at  TEXT NOT NULL
) WITHOUT ROWID;
