-- Feed completeness: each transaction records when it was made available to the feed, and each
-- source account keeps the feed's high-water mark, so a statement can report an end from which
-- the next download misses nothing (docs/architecture.md, "How the feed loses nothing").
-- Transactions stored before this migration count as made available now: each is offered once
-- more at its account's next download, which also delivers any that an earlier selection by
-- date alone had missed. Accounting software de-duplicates by FITID.

ALTER TABLE source_accounts ADD COLUMN feed_mark BIGINT NOT NULL DEFAULT 0;
UPDATE source_accounts
SET feed_mark = GREATEST(created, (EXTRACT(EPOCH FROM now()) * 1000000)::BIGINT);

-- A stable default is evaluated once and kept in the catalogue, so existing rows are not
-- rewritten; new rows always carry an explicit value.
ALTER TABLE bank_transactions
    ADD COLUMN available_at BIGINT NOT NULL DEFAULT (EXTRACT(EPOCH FROM now()) * 1000000)::BIGINT;
ALTER TABLE bank_transactions ALTER COLUMN available_at DROP DEFAULT;

CREATE INDEX bank_transactions_by_available
    ON bank_transactions(connection_id, account_id, available_at);
