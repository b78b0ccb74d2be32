-- Destructive: drop the legacy column and purge low scores. Rolled back in the demo.
ALTER TABLE "leaderboard_entries" DROP COLUMN "legacy_score";

DELETE FROM "leaderboard_entries" WHERE "score" < 2500;
