-- Full-text search over a bill's merchant and item.
--
-- The trigram tokenizer indexes every run of three characters, so a query matches anywhere
-- inside a word: 地铁 inside 北京地铁, "metro" inside "Shanghai Metro". Chinese text has no
-- spaces to split words on, which rules out the default unicode61 tokenizer. Queries shorter
-- than three characters cannot use a trigram index; the bill list reads them with LIKE.
--
-- `bills` is WITHOUT ROWID and FTS5 keys its rows by integer, so each bill gets a search key
-- of its own. The index is contentless (the text stays in `bills` only) and accepts deletes.
-- Triggers keep both in step with `bills`; nothing else writes them.

CREATE TABLE bill_search_keys (
    key     INTEGER PRIMARY KEY,
    bill_id TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE bill_search USING fts5 (
    merchant,
    item,
    content = '',
    contentless_delete = 1,
    tokenize = 'trigram'
);

CREATE TRIGGER bill_search_insert AFTER INSERT ON bills BEGIN
    INSERT INTO bill_search_keys (bill_id) VALUES (new.id);
    INSERT INTO bill_search (rowid, merchant, item)
        VALUES (last_insert_rowid(), new.merchant, new.item);
END;

CREATE TRIGGER bill_search_update AFTER UPDATE OF merchant, item ON bills
WHEN old.merchant IS NOT new.merchant OR old.item IS NOT new.item BEGIN
    DELETE FROM bill_search
        WHERE rowid = (SELECT key FROM bill_search_keys WHERE bill_id = old.id);
    INSERT INTO bill_search (rowid, merchant, item)
        SELECT key, new.merchant, new.item FROM bill_search_keys WHERE bill_id = new.id;
END;

CREATE TRIGGER bill_search_delete AFTER DELETE ON bills BEGIN
    DELETE FROM bill_search
        WHERE rowid = (SELECT key FROM bill_search_keys WHERE bill_id = old.id);
    DELETE FROM bill_search_keys WHERE bill_id = old.id;
END;

-- Bills cached before this migration.
INSERT INTO bill_search_keys (bill_id) SELECT id FROM bills ORDER BY occurred_at, id;
INSERT INTO bill_search (rowid, merchant, item)
    SELECT k.key, b.merchant, b.item FROM bill_search_keys k JOIN bills b ON b.id = k.bill_id;
