-- The reference server's store: each collection is a change feed.
-- `seq` orders changes within a collection (the cursor is the last seq a client has seen);
-- a deleted item keeps its row, with `deleted = 1`, as the tombstone.

CREATE TABLE bills (
    id      TEXT PRIMARY KEY NOT NULL,
    seq     INTEGER NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    body    TEXT NOT NULL
);

CREATE TABLE offers (
    id      TEXT PRIMARY KEY NOT NULL,
    seq     INTEGER NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    body    TEXT NOT NULL
);

CREATE TABLE carbon_entries (
    id      TEXT PRIMARY KEY NOT NULL,
    seq     INTEGER NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    body    TEXT NOT NULL
);

-- Facts about this store, such as whether the demo account was seeded.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
