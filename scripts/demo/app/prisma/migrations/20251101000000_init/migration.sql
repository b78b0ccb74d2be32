-- The game backend of the seed checklist: players, matches, seasons, leaderboards, daily challenges.
CREATE TABLE "players" (
    "id" SERIAL PRIMARY KEY,
    "wallet_address" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX "players_wallet_address_key" ON "players"("wallet_address");

CREATE TABLE "seasons" (
    "id" SERIAL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL
);

CREATE TABLE "matches" (
    "id" SERIAL PRIMARY KEY,
    "season_id" INTEGER NOT NULL REFERENCES "seasons"("id"),
    "player1_id" INTEGER NOT NULL REFERENCES "players"("id"),
    "player2_id" INTEGER NOT NULL REFERENCES "players"("id"),
    "winner_id" INTEGER,
    "played_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "matches_player1_id_idx" ON "matches"("player1_id");

CREATE TABLE "leaderboard_entries" (
    "id" SERIAL PRIMARY KEY,
    "season_id" INTEGER NOT NULL REFERENCES "seasons"("id"),
    "player_id" INTEGER NOT NULL REFERENCES "players"("id"),
    "score" INTEGER NOT NULL DEFAULT 0,
    "legacy_score" INTEGER
);
CREATE UNIQUE INDEX "leaderboard_entries_season_id_player_id_key" ON "leaderboard_entries"("season_id", "player_id");

CREATE TABLE "daily_challenges" (
    "id" SERIAL PRIMARY KEY,
    "day" DATE NOT NULL UNIQUE,
    "title" TEXT NOT NULL,
    "reward" INTEGER NOT NULL
);
