-- Destructive: drop the legacy column and purge low scores. Rolled back in the demo.
-- logbook:accept ban-drop-column: legacy_score has been unused since the v2 scoring; the verified backup keeps its data
ALTER TABLE "leaderboard_entries" DROP COLUMN "legacy_score";

DELETE FROM "leaderboard_entries" WHERE "score" < 2500;
