// The suite's PostgreSQL leg: the integration, server and console tests again, every test server
// on a fresh schema of the database BULWARK_TEST_POSTGRES_URL names (.ci/run starts a
// throwaway cluster). Without that variable it says so and does nothing.
import { spawnSync } from 'node:child_process';

if (!process.env.BULWARK_TEST_POSTGRES_URL) {
  console.log('PostgreSQL leg skipped: BULWARK_TEST_POSTGRES_URL is not set (see scripts/ci-postgres.sh)');
  process.exit(0);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', 'test/integration/*.test.ts', 'test/server/*.test.ts', 'test/console/*.test.ts'],
  { stdio: 'inherit', env: { ...process.env, BULWARK_TEST_STORE: 'postgres' } },
);
process.exit(result.status ?? 1);
