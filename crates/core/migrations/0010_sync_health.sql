-- What the sync engine keeps beside the feeds: each feed's entity tag, the items it refused,
-- and the user's settings (written locally, delivered through the outbox).

-- The ETag of the last page read to the end of a feed; sent back as If-None-Match, so a feed
-- with no changes costs one request answered 304. NULL while a feed is part-way read.
ALTER TABLE sync_cursors ADD COLUMN etag TEXT;

-- Items of a feed page that failed validation: kept with the reason, out of the cache proper.
-- A later valid version of the same item replaces the cached one and clears its row here.
CREATE TABLE quarantine (
    collection     TEXT NOT NULL,
    item_id        TEXT NOT NULL,
    version        INTEGER,
    reason         TEXT NOT NULL,
    body           TEXT NOT NULL,
    quarantined_at TEXT NOT NULL,
    PRIMARY KEY (collection, item_id)
) WITHOUT ROWID;

-- The user's settings; each change also leaves an outbox row of kind `setting`.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
