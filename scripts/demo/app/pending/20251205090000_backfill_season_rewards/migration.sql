-- Backfill rewards per season. Fails: the column it reads was never created.
ALTER TABLE "seasons" ADD COLUMN "reward_pool" INTEGER;

UPDATE "seasons" SET "reward_pool" = "prize_budget" / 10;
