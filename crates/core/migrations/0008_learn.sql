-- The education channel's local progress. Attempts are only ever added: progress, XP, mastery
-- and streaks are computed from them, so nothing rolls back. The attempt id is also the
-- idempotency key its outbox row is delivered with.
CREATE TABLE quiz_attempts (
    id              TEXT PRIMARY KEY NOT NULL,
    lesson_id       TEXT NOT NULL,
    catalog_version TEXT NOT NULL,
    answers         TEXT NOT NULL,
    results         TEXT NOT NULL,
    correct         INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    passed          INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    local_date      TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX quiz_attempts_by_time ON quiz_attempts (finished_at);

-- Badges earned; a badge once earned is kept, whatever later happens to the bills behind it.
CREATE TABLE earned_badges (
    badge_id  TEXT PRIMARY KEY NOT NULL,
    earned_at TEXT NOT NULL,
    evidence  TEXT NOT NULL
) WITHOUT ROWID;

-- The newest catalogue the Green API sent, with its version (the ETag to send back). The
-- catalogue compiled into the app serves until one arrives, and whenever this one fails its
-- checks.
CREATE TABLE learn_catalog (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    TEXT NOT NULL,
    body       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);
