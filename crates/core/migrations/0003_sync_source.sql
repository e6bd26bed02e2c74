-- Which server the cache holds data from: cursors and items of one server mean nothing to
-- another, so a sync from a different server is refused instead of mixing the two.
CREATE TABLE sync_source (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    server_id TEXT NOT NULL,
    base_url  TEXT NOT NULL
);
