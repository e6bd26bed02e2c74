-- Quiz attempts become a change feed, so a learner's other devices receive them: `seq` orders
-- the attempts as they were recorded (the feed's cursor is the last seq a client has seen) and
-- `results` keeps each question's result as the server scored it. Attempts recorded before
-- this migration keep their order of arrival; their results are worked out again from their
-- answers when they are served.
ALTER TABLE quiz_attempts ADD COLUMN seq INTEGER;
ALTER TABLE quiz_attempts ADD COLUMN results TEXT;
UPDATE quiz_attempts SET seq = rowid;
CREATE UNIQUE INDEX quiz_attempts_by_seq ON quiz_attempts (seq);
