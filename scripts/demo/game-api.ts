// A tiny stand-in for the seed's game API (health, player, leaderboard, season, daily challenge),
// backed by the demo database, so smoke checks have something real to call. Loopback only.
import { createServer, type Server } from 'node:http';
import pg from 'pg';

export interface GameApi {
  url: string;
  close(): Promise<void>;
}

export async function startGameApi(databaseUrl: string, port = 0): Promise<GameApi> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => {});
  const routes: Record<string, (body: string) => Promise<[number, unknown]>> = {
    'GET /health': async () => {
      await pool.query('SELECT 1');
      return [200, { status: 'ok' }];
    },
    'POST /api/player/initialize': async (body) => {
      const wallet = String((JSON.parse(body || '{}') as { walletAddress?: string }).walletAddress ?? '');
      if (!wallet) return [400, { error: 'walletAddress is required' }];
      // Read-only on purpose: a smoke check must not write to production.
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM players WHERE wallet_address = $1', [wallet]);
      return [200, { walletAddress: wallet, exists: rows[0].n > 0 }];
    },
    'GET /api/leaderboard/global': async () => {
      const { rows } = await pool.query(
        'SELECT player_id AS "playerId", sum(score)::int AS score FROM leaderboard_entries GROUP BY player_id ORDER BY 2 DESC LIMIT 10',
      );
      return [200, { entries: rows }];
    },
    'GET /api/season/current': async () => {
      const { rows } = await pool.query('SELECT id, name FROM seasons ORDER BY starts_at DESC LIMIT 1');
      return rows[0] ? [200, { season: rows[0] }] : [404, { error: 'no season' }];
    },
    'GET /api/challenge/daily': async () => {
      const { rows } = await pool.query('SELECT id, title, reward FROM daily_challenges ORDER BY day DESC LIMIT 1');
      return rows[0] ? [200, { challenge: rows[0] }] : [404, { error: 'no challenge' }];
    },
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const route = routes[`${req.method} ${(req.url ?? '/').split('?')[0]}`];
      const answer = route ? route(body) : Promise.resolve<[number, unknown]>([404, { error: 'not found' }]);
      answer
        .catch((error: Error) => [500, { error: error.message }] as [number, unknown])
        .then(([status, payload]) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(payload));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
