-- A bill may be paid off in instalments: the plan the user holds, as its JSON wire form.
ALTER TABLE bills ADD COLUMN instalment_json TEXT;

CREATE INDEX bills_with_instalments ON bills (occurred_at) WHERE instalment_json IS NOT NULL;
