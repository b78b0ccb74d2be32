-- A plain CREATE INDEX on the biggest table: it blocks writes to matches while it builds.
CREATE INDEX "matches_played_at_idx" ON "matches"("played_at");
