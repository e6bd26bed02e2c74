-- Accounts. Every row of a user's data names its owner in `user_id`, and every query filters by
-- it; a table added later follows the same pattern (a `user_id` column first in its key).
--
-- A store made before accounts existed held one person's data: it becomes the demo user's when
-- the demo was seeded, and otherwise the first account added (id 1) adopts it.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Trimmed and lower case, so one address is one account.
    email         TEXT NOT NULL UNIQUE,
    -- A PHC string (argon2id); NULL for the demo user, who signs in only inside the process.
    password_hash TEXT,
    created_at    TEXT NOT NULL
);

INSERT INTO users (id, email, password_hash, created_at)
SELECT 1, 'demo@greenmile.invalid', NULL, value FROM meta WHERE key = 'demo_seeded_at';

-- One row per token pair. The tokens themselves are never stored, only their SHA-256 hashes.
-- Refreshing spends a pair (`spent_at`) and adds the next one to the same family; a spent
-- refresh token presented again revokes the family.
CREATE TABLE sessions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    family             TEXT NOT NULL,
    user_id            INTEGER NOT NULL REFERENCES users (id),
    access_hash        TEXT NOT NULL UNIQUE,
    access_expires_at  TEXT NOT NULL,
    refresh_hash       TEXT NOT NULL UNIQUE,
    refresh_expires_at TEXT NOT NULL,
    spent_at           TEXT,
    revoked_at         TEXT,
    created_at         TEXT NOT NULL
);
CREATE INDEX sessions_family ON sessions (family);

-- The feeds, writes, settings and quiz attempts gain their owner. SQLite cannot change a
-- primary key in place, so each table is copied into its new shape.

CREATE TABLE bills_owned (
    user_id INTEGER NOT NULL,
    id      TEXT NOT NULL,
    seq     INTEGER NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    body    TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
);
INSERT INTO bills_owned SELECT 1, id, seq, version, deleted, body FROM bills;
DROP TABLE bills;
ALTER TABLE bills_owned RENAME TO bills;
CREATE INDEX bills_user_seq ON bills (user_id, seq);

CREATE TABLE offers_owned (
    user_id INTEGER NOT NULL,
    id      TEXT NOT NULL,
    seq     INTEGER NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    body    TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
);
INSERT INTO offers_owned SELECT 1, id, seq, version, deleted, body FROM offers;
DROP TABLE offers;
ALTER TABLE offers_owned RENAME TO offers;
CREATE INDEX offers_user_seq ON offers (user_id, seq);

CREATE TABLE carbon_entries_owned (
    user_id INTEGER NOT NULL,
    id      TEXT NOT NULL,
    seq     INTEGER NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    body    TEXT NOT NULL,
    PRIMARY KEY (user_id, id)
);
INSERT INTO carbon_entries_owned SELECT 1, id, seq, version, deleted, body FROM carbon_entries;
DROP TABLE carbon_entries;
ALTER TABLE carbon_entries_owned RENAME TO carbon_entries;
CREATE INDEX carbon_entries_user_seq ON carbon_entries (user_id, seq);

-- Settings first: they referred to writes by key alone.
CREATE TABLE settings_owned (
    user_id    INTEGER NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    written_by TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
INSERT INTO settings_owned SELECT 1, key, value, written_by FROM settings;
DROP TABLE settings;

CREATE TABLE writes_owned (
    user_id         INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    kind            TEXT NOT NULL,
    body            TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    deliveries      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, idempotency_key)
);
INSERT INTO writes_owned SELECT 1, idempotency_key, kind, body, received_at, deliveries FROM writes;
DROP TABLE writes;
ALTER TABLE writes_owned RENAME TO writes;
ALTER TABLE settings_owned RENAME TO settings;

CREATE TABLE quiz_attempts_owned (
    user_id         INTEGER NOT NULL,
    attempt_id      TEXT NOT NULL,
    lesson_id       TEXT NOT NULL,
    catalog_version TEXT NOT NULL,
    answers         TEXT NOT NULL,
    correct         INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    passed          INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    local_date      TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    seq             INTEGER,
    results         TEXT,
    PRIMARY KEY (user_id, attempt_id)
);
INSERT INTO quiz_attempts_owned
SELECT 1, attempt_id, lesson_id, catalog_version, answers, correct, total, passed, started_at,
       finished_at, time_zone, local_date, received_at, seq, results
FROM quiz_attempts;
DROP TABLE quiz_attempts;
ALTER TABLE quiz_attempts_owned RENAME TO quiz_attempts;
-- The attempts feed (0005) orders by one seq across users; each user's page reads its own.
CREATE UNIQUE INDEX quiz_attempts_by_seq ON quiz_attempts (seq);
CREATE INDEX quiz_attempts_user_seq ON quiz_attempts (user_id, seq);
