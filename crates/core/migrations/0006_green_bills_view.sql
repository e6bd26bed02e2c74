-- The recognition rule that found a synced bill green, when the server says (bills it read
-- from payment exports).
ALTER TABLE bills ADD COLUMN green_rule TEXT;

-- Every green bill the screens count, whichever way it reached the cache: the synced bills
-- (`source` 'api') and the green expenses read from payment exports (`source` 'file', with
-- the layout in `file_format`). Imported rows count only when one rule category matched and
-- the claim is better than unverified; their refunds are already netted into `amount_minor`,
-- so refund and income rows are left out. The two tables stay apart (a sync writes only
-- `bills`); this view is how the dashboard, the bill list, the summary and the carbon totals
-- read them together.
CREATE VIEW green_bills AS
    SELECT id, occurred_at, merchant, item, category, amount_minor, currency, certification,
           carbon_g, carbon_method, status, local_carbon_g, local_carbon_method,
           instalment_json, green_rule, 'api' AS source, NULL AS file_format
    FROM bills
    UNION ALL
    SELECT id, occurred_at, merchant, item, category, amount_minor, currency, certification,
           carbon_g, carbon_method, status, NULL, NULL,
           NULL, rule_id, 'file', format
    FROM imported_bills
    WHERE kind = 'expense' AND category IS NOT NULL AND certification IS NOT NULL
      AND certification <> 'unverified';
