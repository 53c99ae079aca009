// The PostgreSQL store's tables, their migrations, and where they live (a schema).
import type pg from 'pg';
import { SchemaVersionError, StoreError, StoreUrlError } from './errors.ts';
import { postgresEventLogMigration } from './event-log-postgres.ts';

/**
 * MIGRATIONS[i] takes the schema from version i to i + 1; `s` is the quoted schema
 * name. Append only: a database records its version, and on open the missing steps
 * run in one transaction.
 *
 * Keys are compared in the "C" collation (bytes of UTF-8, i.e. code point order), the
 * order every store shares. Values are JSON text, not jsonb: jsonb cannot hold
 * "\u0000" and would not give back the text it was given.
 */
const MIGRATIONS: readonly ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.documents (
      collection text COLLATE "C" NOT NULL,
      key        text COLLATE "C" NOT NULL,
      value      text NOT NULL,
      version    bigint NOT NULL,
      PRIMARY KEY (collection, key)
    );
    -- The store-wide version counter; never reset, so versions are never reused.
    CREATE SEQUENCE ${s}.document_versions;`,
  // CloudTrail's append-only event log (event-log-postgres.ts).
  postgresEventLogMigration,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** Where a store URL's tables live: `?schema=NAME`, else `public`. */
export interface StoreLocation {
  /** The URL as `pg` should see it, without our own `schema` parameter. */
  connectionString: string;
  schema: string;
}

// Plain lower-case names only, short enough that the change channel name fits in
// PostgreSQL's 63-byte identifiers.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

export function parseStoreUrl(url: string): StoreLocation {
  if (!URL.canParse(url)) {
    throw new StoreUrlError(`'${redact(url)}' is not a valid URL: use postgres://USER:PASSWORD@HOST:PORT/DATABASE`);
  }
  const schema = new URL(url).searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreUrlError(`schema '${schema}' in the store URL must be lower-case letters, digits and _ (at most 40)`);
  }
  return { connectionString: withoutParameter(url, 'schema'), schema };
}

/** Drops one query parameter, leaving the rest of the URL exactly as written (pg decodes it itself). */
function withoutParameter(url: string, name: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const kept = url.slice(q + 1).split('&').filter((part) => part.split('=')[0] !== name);
  return kept.length === 0 ? url.slice(0, q) : `${url.slice(0, q)}?${kept.join('&')}`;
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Brings the schema's tables up to date. Several nodes may start at once: an advisory
 * lock (per schema) lets one migrate while the others wait, then find nothing to do.
 */
export async function migrate(client: pg.ClientBase, schema: string): Promise<void> {
  const s = quoteIdentifier(schema);
  const { rows: encoding } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
  if (encoding[0].server_encoding !== 'UTF8') {
    throw new StoreError(`the database's encoding is ${encoding[0].server_encoding}; Bulwark needs a UTF8 database`);
  }
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('bulwark-migrate:' || $1))", [schema]);
    // Only create the schema when missing: CREATE SCHEMA IF NOT EXISTS still needs a
    // privilege that a user of an existing schema may not have.
    const { rowCount: exists } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (!exists) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer NOT NULL)`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_version`);
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new SchemaVersionError(
        `the database has schema version ${current}, newer than this Bulwark knows (${POSTGRES_SCHEMA_VERSION}); use a newer Bulwark`,
      );
    }
    for (const step of MIGRATIONS.slice(current)) await client.query(step(s));
    if (rows.length === 0) await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [POSTGRES_SCHEMA_VERSION]);
    else if (current < POSTGRES_SCHEMA_VERSION) await client.query(`UPDATE ${s}.schema_version SET version = $1`, [POSTGRES_SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
