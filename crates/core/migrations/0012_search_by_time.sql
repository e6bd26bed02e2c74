-- The search index again (migration 0009), shaped so a search reads only the matches it shows.
--
-- Search keys now follow time: a bill's key is the millisecond it was paid, times 2^20, plus
-- its place among the bills of that millisecond. A search can then ask the index for the
-- matches of a span of time (a range of keys) and stop there, instead of gathering every
-- match of 100k bills to sort them for a page of 50. Milliseconds are clamped to
-- [0, 2^43) (1970 to 2248) so the key fits in 63 bits; a clamped key still sorts no earlier
-- than an older bill's, which is all a span needs.
--
-- Each column is indexed with two U+001F characters after it, which no search text holds
-- (control characters are taken out of it). Every run of one or two characters is then the
-- start of some indexed trigram, so a short term (地铁, 书) is found by looking up the
-- trigrams that start with it in `bill_search_terms` and asking the index for any of them.

DROP TRIGGER bill_search_insert;
DROP TRIGGER bill_search_update;
DROP TRIGGER bill_search_delete;
DROP TABLE bill_search;
DROP TABLE bill_search_keys;

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

-- The trigrams in the index, for the short terms.
CREATE VIRTUAL TABLE bill_search_terms USING fts5vocab (bill_search, 'row');

-- A bill's key: the first free one of its millisecond.
CREATE TRIGGER bill_search_insert AFTER INSERT ON bills BEGIN
    INSERT INTO bill_search_keys (key, bill_id)
    SELECT COALESCE(
        (SELECT MAX(key) + 1 FROM bill_search_keys WHERE key >= t.base AND key < t.base + 1048576),
        t.base), new.id
    FROM (SELECT MIN(MAX(CAST(ROUND(unixepoch(new.occurred_at, 'subsec') * 1000) AS INTEGER), 0),
                     8796093022207) * 1048576 AS base) t;
    INSERT INTO bill_search (rowid, merchant, item)
        VALUES (last_insert_rowid(), new.merchant || char(31, 31), new.item || char(31, 31));
END;

-- A new time moves the key, new text changes the entry: either way the entry is written anew.
CREATE TRIGGER bill_search_update AFTER UPDATE OF merchant, item, occurred_at ON bills
WHEN old.merchant IS NOT new.merchant OR old.item IS NOT new.item
    OR old.occurred_at IS NOT new.occurred_at BEGIN
    DELETE FROM bill_search
        WHERE rowid = (SELECT key FROM bill_search_keys WHERE bill_id = old.id);
    DELETE FROM bill_search_keys WHERE bill_id = old.id;
    INSERT INTO bill_search_keys (key, bill_id)
    SELECT COALESCE(
        (SELECT MAX(key) + 1 FROM bill_search_keys WHERE key >= t.base AND key < t.base + 1048576),
        t.base), new.id
    FROM (SELECT MIN(MAX(CAST(ROUND(unixepoch(new.occurred_at, 'subsec') * 1000) AS INTEGER), 0),
                     8796093022207) * 1048576 AS base) t;
    INSERT INTO bill_search (rowid, merchant, item)
        VALUES (last_insert_rowid(), new.merchant || char(31, 31), new.item || char(31, 31));
END;

CREATE TRIGGER bill_search_delete AFTER DELETE ON bills BEGIN
    DELETE FROM bill_search
        WHERE rowid = (SELECT key FROM bill_search_keys WHERE bill_id = old.id);
    DELETE FROM bill_search_keys WHERE bill_id = old.id;
END;

-- Bills cached before this migration, numbered within each millisecond by id.
INSERT INTO bill_search_keys (key, bill_id)
SELECT base + ROW_NUMBER() OVER (PARTITION BY base ORDER BY id) - 1, id
FROM (SELECT id, MIN(MAX(CAST(ROUND(unixepoch(occurred_at, 'subsec') * 1000) AS INTEGER), 0),
                        8796093022207) * 1048576 AS base
      FROM bills);
INSERT INTO bill_search (rowid, merchant, item)
    SELECT k.key, b.merchant || char(31, 31), b.item || char(31, 31)
    FROM bill_search_keys k JOIN bills b ON b.id = k.bill_id;
