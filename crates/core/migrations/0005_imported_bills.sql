-- Bills read from payment exports (Alipay, WeChat Pay, JD, Meituan). They live apart from the
-- synced `bills`, which are a projection of the server: a sync never touches this table.
-- Only rows that moved money are kept (expenses, income, refunds); neutral rows are counted
-- in the import report and not stored.
CREATE TABLE imported_bills (
    -- 'imp-' and a hash of source, order id and the row's content: the same row from the same
    -- platform has the same id in every export, which makes re-imports change nothing.
    id                 TEXT PRIMARY KEY NOT NULL,
    source             TEXT NOT NULL,    -- alipay, wechat, jd, meituan
    format             TEXT NOT NULL,    -- the file layout it was first read from
    order_id           TEXT NOT NULL,    -- '' when the export gives none
    kind               TEXT NOT NULL CHECK (kind IN ('expense', 'income', 'refund')),
    occurred_at        TEXT NOT NULL,    -- UTC, as db::instant_text writes it
    merchant           TEXT NOT NULL,
    item               TEXT NOT NULL,
    platform_category  TEXT NOT NULL,
    payment_method     TEXT NOT NULL,
    platform_status    TEXT NOT NULL,
    paid_by_relative   INTEGER NOT NULL CHECK (paid_by_relative IN (0, 1)),
    currency           TEXT NOT NULL,
    gross_minor        INTEGER NOT NULL CHECK (gross_minor >= 0),
    -- Refunded according to the row itself (JD's amount cell, WeChat's status).
    refunded_in_cell_minor INTEGER NOT NULL CHECK (refunded_in_cell_minor >= 0),
    -- Every refund of an expense: in the cell plus the refund rows linked to it.
    refunded_minor     INTEGER NOT NULL CHECK (refunded_minor >= 0),
    -- Expenses: what was finally paid; income and refunds: the amount.
    amount_minor       INTEGER NOT NULL CHECK (amount_minor >= 0),
    status             TEXT NOT NULL,    -- posted, partially_refunded, refunded
    -- How refund rows find their purchase (order number and merchant, or the title).
    link_key           TEXT NOT NULL,
    refund_of          TEXT REFERENCES imported_bills (id),
    -- Green recognition: NULL category is not green; an ambiguous match keeps every rule id
    -- and certification 'unverified'.
    category           TEXT,
    certification      TEXT,
    rule_id            TEXT,
    -- The carbon method's inputs at the purchase's full size (JSON), and the figure at the
    -- amount kept; NULL carbon is unknown, never zero.
    carbon_input_json  TEXT,
    carbon_g           INTEGER,
    carbon_method      TEXT,
    file_line          INTEGER NOT NULL,
    imported_at        TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX imported_bills_by_time ON imported_bills (occurred_at);
CREATE INDEX imported_bills_by_link ON imported_bills (source, link_key, kind);
CREATE INDEX imported_bills_by_category ON imported_bills (category, occurred_at)
    WHERE category IS NOT NULL;
