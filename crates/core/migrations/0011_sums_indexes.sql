-- Covering indexes for the dashboard's and the carbon report's sums.
--
-- A bill's row is wide (its carbon trace JSON), so a sum that scans `bills` reads the whole
-- table through the page cache. These indexes hold only what the sums read, in time order,
-- so a month is one range of one index and the sums never touch the table itself.

-- Spend, counts and the bills whose carbon is unknown, by month, category, currency and
-- certification.
CREATE INDEX bills_sums_by_time ON bills
    (occurred_at, category, currency, certification, status, amount_minor, carbon_g);

-- Ledger grams by month and method, with the bill each entry belongs to. It leads with
-- `occurred_at` like `carbon_by_time`, which it replaces: every range that used that one can
-- use this one.
CREATE INDEX carbon_sums_by_time ON carbon_entries (occurred_at, method, grams, bill_id);
DROP INDEX carbon_by_time;

-- The ledger's entries look their bill up for its category and status: this holds those two
-- beside the id, so the lookups read a narrow index instead of the bills' wide rows.
CREATE INDEX bills_status_by_id ON bills (id, status, category);
