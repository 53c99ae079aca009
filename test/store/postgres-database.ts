// Where the PostgreSQL tests run: the server BULWARK_TEST_POSTGRES_URL names (see
// scripts/ci-postgres.sh). Each store a test opens lives in a schema of its own, so
// tests never see each other's documents; the schemas are dropped at the end.
import pg from 'pg';

export const POSTGRES_URL = process.env.BULWARK_TEST_POSTGRES_URL;

export const SKIP_REASON = POSTGRES_URL
  ? false
  : 'set BULWARK_TEST_POSTGRES_URL to run the PostgreSQL tests (eval "$(bash scripts/ci-postgres.sh)" starts a throwaway server)';

const created: string[] = [];
let counter = 0;

/** A schema name not used before, and the store URL that puts a store in it. */
export function freshSchemaUrl(): { url: string; schema: string } {
  const schema = `bulwark_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  created.push(schema);
  const url = new URL(POSTGRES_URL!);
  url.searchParams.set('schema', schema);
  return { url: url.toString(), schema };
}

/** Runs SQL as the test's own administrator, on a connection of its own. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropCreatedSchemas(): Promise<void> {
  if (!POSTGRES_URL || created.length === 0) return;
  const names = created.splice(0).map((name) => `"${name}"`);
  await adminQuery(`DROP SCHEMA IF EXISTS ${names.join(', ')} CASCADE`);
}
