-- A bill's carbon figure keeps its trace as the API sent it (the method's inputs, the factor
-- values it read, the baseline, measured or estimated, confidence), so the figure can be
-- explained and recomputed offline. Beside the API's figure the cache keeps the one this app's
-- method gives for the same inputs, when the app's version of that method is newer.
ALTER TABLE bills ADD COLUMN carbon_trace_json TEXT;
ALTER TABLE bills ADD COLUMN local_carbon_g INTEGER;
ALTER TABLE bills ADD COLUMN local_carbon_method TEXT;

-- Bills cached before traces existed are read again from the start of their feed; the upsert
-- takes a trace for a bill it already holds at the same version, and changes nothing else.
DELETE FROM sync_cursors WHERE collection = 'bills';
