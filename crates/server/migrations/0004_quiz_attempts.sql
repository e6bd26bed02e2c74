-- Quiz attempts delivered by clients, each recorded once under its attempt id (the write's
-- idempotency key). Attempts are accepted late: a learner may have been offline for days.
CREATE TABLE quiz_attempts (
    attempt_id      TEXT PRIMARY KEY NOT NULL,
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
    received_at     TEXT NOT NULL
);
