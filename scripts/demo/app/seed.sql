-- Realistic demo data, generated in SQL so it takes seconds. Scale with: SET demo.scale = '0.01';
-- (1 = about 120,000 rows in all.)
DO $$
DECLARE
  scale numeric := coalesce(nullif(current_setting('demo.scale', true), ''), '1')::numeric;
  n_players int := greatest(20, (20000 * scale)::int);
  n_matches int := greatest(40, (80000 * scale)::int);
BEGIN
  INSERT INTO seasons (name, starts_at, ends_at)
  SELECT 'Season ' || s, timestamp '2025-01-01' + (s - 1) * interval '90 days', timestamp '2025-01-01' + s * interval '90 days'
    FROM generate_series(1, 4) s;

  INSERT INTO players (wallet_address, username, created_at)
  SELECT '0x' || md5('wallet' || i), 'player_' || i, timestamp '2025-01-01' + (i % 300) * interval '1 day'
    FROM generate_series(1, n_players) i;

  INSERT INTO matches (season_id, player1_id, player2_id, winner_id, played_at)
  SELECT 1 + (i % 4), 1 + (i * 7) % n_players, 1 + (i * 13 + 1) % n_players,
         CASE WHEN i % 3 = 0 THEN NULL ELSE 1 + (i * 7) % n_players END,
         timestamp '2025-01-01' + (i % 360) * interval '1 day' + (i % 86400) * interval '1 second'
    FROM generate_series(1, n_matches) i;

  INSERT INTO leaderboard_entries (season_id, player_id, score, legacy_score)
  SELECT 1 + (i % 4), 1 + (i / 4) % n_players, (i * 37) % 5000, (i * 11) % 900
    FROM generate_series(0, least(n_players * 4, 20000 * 4) - 1) i
  ON CONFLICT DO NOTHING;

  INSERT INTO daily_challenges (day, title, reward)
  SELECT date '2025-01-01' + d, 'Challenge #' || (d + 1), 50 + (d % 10) * 10
    FROM generate_series(0, 364) d;
END $$;
ANALYZE;
