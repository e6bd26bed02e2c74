-- Sums the dashboard and the carbon report read, kept by the writers, and covering indexes
-- for the little they still read from the rows.
--
-- A bill's row is wide (its carbon trace JSON) and there are 100k of them at volume: a sum
-- that scans `bills`, or even sorts 100k index entries into groups, takes far longer than a
-- screen may wait. So triggers keep the sums per UTC calendar month, and a month of the
-- user's time zone is read as UTC months plus or minus the hours between its bounds and
-- the nearest UTC month start (see crate::dashboard::rolled_up), read from the indexes here.

-- Synced bills per UTC month (`substr(occurred_at, 1, 7)`), category, currency,
-- certification and whether their carbon is unknown (no figure, not refunded in full).
CREATE TABLE bill_month_sums (
    month          TEXT NOT NULL,
    category       TEXT NOT NULL,
    currency       TEXT NOT NULL,
    certification  TEXT NOT NULL,
    carbon_unknown INTEGER NOT NULL,
    spend_minor    INTEGER NOT NULL,
    bills          INTEGER NOT NULL,
    PRIMARY KEY (month, category, currency, certification, carbon_unknown)
) WITHOUT ROWID;

-- Ledger grams per UTC month, method and the category of the entry's bill ('' while the
-- bill is not cached). Entries of bills refunded in full are left out: a refund saves
-- nothing.
CREATE TABLE ledger_month_sums (
    month    TEXT NOT NULL,
    method   TEXT NOT NULL,
    category TEXT NOT NULL,
    grams    INTEGER NOT NULL,
    entries  INTEGER NOT NULL,
    PRIMARY KEY (month, method, category)
) WITHOUT ROWID;

-- The rows a month's edges are read from: what the sums group by, in time order.
CREATE INDEX bills_sums_by_time ON bills
    (occurred_at, category, currency, certification, status, amount_minor, carbon_g);
-- It leads with `occurred_at` like `carbon_by_time`, which it replaces.
CREATE INDEX carbon_sums_by_time ON carbon_entries (occurred_at, method, grams, bill_id);
DROP INDEX carbon_by_time;
-- A bill's entries, for the triggers that move them when the bill arrives or changes.
CREATE INDEX carbon_by_bill ON carbon_entries (bill_id);
-- An entry's bill's category and status without reading the bill's wide row.
CREATE INDEX bills_status_by_id ON bills (id, status, category);
-- The dashboard counts offers; without a narrow index that reads every plan's JSON.
CREATE INDEX offers_by_category ON offers (category, certification);

INSERT INTO bill_month_sums
    SELECT substr(occurred_at, 1, 7), category, currency, certification,
           carbon_g IS NULL AND status <> 'refunded', SUM(amount_minor), COUNT(*)
    FROM bills GROUP BY 1, 2, 3, 4, 5;

INSERT INTO ledger_month_sums
    SELECT substr(c.occurred_at, 1, 7), c.method, COALESCE(b.category, ''), SUM(c.grams),
           COUNT(*)
    FROM carbon_entries c LEFT JOIN bills b ON b.id = c.bill_id
    WHERE b.status IS NULL OR b.status <> 'refunded'
    GROUP BY 1, 2, 3;

-- Bills: add the new row's share, take away the old row's.

CREATE TRIGGER bill_sums_insert AFTER INSERT ON bills BEGIN
    INSERT INTO bill_month_sums VALUES (substr(new.occurred_at, 1, 7), new.category,
        new.currency, new.certification, new.carbon_g IS NULL AND new.status <> 'refunded',
        new.amount_minor, 1)
    ON CONFLICT (month, category, currency, certification, carbon_unknown) DO UPDATE
        SET spend_minor = spend_minor + excluded.spend_minor, bills = bills + excluded.bills;
END;

CREATE TRIGGER bill_sums_delete AFTER DELETE ON bills BEGIN
    INSERT INTO bill_month_sums VALUES (substr(old.occurred_at, 1, 7), old.category,
        old.currency, old.certification, old.carbon_g IS NULL AND old.status <> 'refunded',
        -old.amount_minor, -1)
    ON CONFLICT (month, category, currency, certification, carbon_unknown) DO UPDATE
        SET spend_minor = spend_minor + excluded.spend_minor, bills = bills + excluded.bills;
END;

CREATE TRIGGER bill_sums_update
AFTER UPDATE OF occurred_at, category, currency, certification, status, amount_minor, carbon_g
ON bills BEGIN
    INSERT INTO bill_month_sums VALUES (substr(old.occurred_at, 1, 7), old.category,
        old.currency, old.certification, old.carbon_g IS NULL AND old.status <> 'refunded',
        -old.amount_minor, -1)
    ON CONFLICT (month, category, currency, certification, carbon_unknown) DO UPDATE
        SET spend_minor = spend_minor + excluded.spend_minor, bills = bills + excluded.bills;
    INSERT INTO bill_month_sums VALUES (substr(new.occurred_at, 1, 7), new.category,
        new.currency, new.certification, new.carbon_g IS NULL AND new.status <> 'refunded',
        new.amount_minor, 1)
    ON CONFLICT (month, category, currency, certification, carbon_unknown) DO UPDATE
        SET spend_minor = spend_minor + excluded.spend_minor, bills = bills + excluded.bills;
END;

-- Ledger entries: the same, with the category and status of their bill as it is now.

CREATE TRIGGER ledger_sums_insert AFTER INSERT ON carbon_entries BEGIN
    INSERT INTO ledger_month_sums
    SELECT substr(new.occurred_at, 1, 7), new.method, COALESCE(b.category, ''), new.grams, 1
    FROM (SELECT 1) LEFT JOIN bills b ON b.id = new.bill_id
    WHERE b.status IS NULL OR b.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
END;

CREATE TRIGGER ledger_sums_delete AFTER DELETE ON carbon_entries BEGIN
    INSERT INTO ledger_month_sums
    SELECT substr(old.occurred_at, 1, 7), old.method, COALESCE(b.category, ''), -old.grams, -1
    FROM (SELECT 1) LEFT JOIN bills b ON b.id = old.bill_id
    WHERE b.status IS NULL OR b.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
END;

CREATE TRIGGER ledger_sums_update AFTER UPDATE OF occurred_at, method, grams, bill_id
ON carbon_entries BEGIN
    INSERT INTO ledger_month_sums
    SELECT substr(old.occurred_at, 1, 7), old.method, COALESCE(b.category, ''), -old.grams, -1
    FROM (SELECT 1) LEFT JOIN bills b ON b.id = old.bill_id
    WHERE b.status IS NULL OR b.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
    INSERT INTO ledger_month_sums
    SELECT substr(new.occurred_at, 1, 7), new.method, COALESCE(b.category, ''), new.grams, 1
    FROM (SELECT 1) LEFT JOIN bills b ON b.id = new.bill_id
    WHERE b.status IS NULL OR b.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
END;

-- A bill arriving, leaving or changing category or status moves its entries' grams.

CREATE TRIGGER ledger_sums_bill_insert AFTER INSERT ON bills BEGIN
    INSERT INTO ledger_month_sums
    SELECT substr(c.occurred_at, 1, 7), c.method, '', -c.grams, -1
    FROM carbon_entries c WHERE c.bill_id = new.id
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
    INSERT INTO ledger_month_sums
    SELECT substr(c.occurred_at, 1, 7), c.method, new.category, c.grams, 1
    FROM carbon_entries c WHERE c.bill_id = new.id AND new.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
END;

CREATE TRIGGER ledger_sums_bill_delete AFTER DELETE ON bills BEGIN
    INSERT INTO ledger_month_sums
    SELECT substr(c.occurred_at, 1, 7), c.method, old.category, -c.grams, -1
    FROM carbon_entries c WHERE c.bill_id = old.id AND old.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
    INSERT INTO ledger_month_sums
    SELECT substr(c.occurred_at, 1, 7), c.method, '', c.grams, 1
    FROM carbon_entries c WHERE c.bill_id = old.id
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
END;

CREATE TRIGGER ledger_sums_bill_update AFTER UPDATE OF category, status ON bills BEGIN
    INSERT INTO ledger_month_sums
    SELECT substr(c.occurred_at, 1, 7), c.method, old.category, -c.grams, -1
    FROM carbon_entries c WHERE c.bill_id = old.id AND old.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
    INSERT INTO ledger_month_sums
    SELECT substr(c.occurred_at, 1, 7), c.method, new.category, c.grams, 1
    FROM carbon_entries c WHERE c.bill_id = new.id AND new.status <> 'refunded'
    ON CONFLICT (month, method, category) DO UPDATE
        SET grams = grams + excluded.grams, entries = entries + excluded.entries;
END;
