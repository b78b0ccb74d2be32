-- Additive: a new table (with rows), a new column and an index.
CREATE TABLE "achievements" (
    "id" SERIAL PRIMARY KEY,
    "player_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "earned_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

ALTER TABLE "players" ADD COLUMN "xp" INTEGER;

CREATE INDEX "achievements_player_id_idx" ON "achievements"("player_id");

ALTER TABLE "achievements" ADD CONSTRAINT "achievements_player_id_fkey" FOREIGN KEY ("player_id") REFERENCES "players"("id") NOT VALID;

INSERT INTO "achievements" ("player_id", "code")
SELECT "id", 'first-match' FROM "players" WHERE "id" % 10 = 0;
