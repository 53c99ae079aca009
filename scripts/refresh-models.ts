// Copies the AWS service models Bulwark speaks from the installed botocore into
// models/, as plain JSON. The models are data, the source of truth for the wire
// (DESIGN.md): run this when botocore is upgraded, then `npm run models:types`.
//
//   node scripts/refresh-models.ts [path/to/botocore/data]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { MODEL_NAMES } from '../src/protocol/model-names.ts';

function botocoreDataDir(): string {
  const explicit = process.argv[2];
  if (explicit) return explicit;
  const dir = execFileSync('python3', ['-c', 'import botocore,os;print(os.path.dirname(botocore.__file__))'], {
    encoding: 'utf8',
  }).trim();
  return join(dir, 'data');
}

function readModel(serviceDir: string): { json: string; apiVersion: string } {
  // botocore keeps one folder per API version; the newest is the one clients use.
  const versions = readdirSync(serviceDir).filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).sort();
  const apiVersion = versions.at(-1);
  if (!apiVersion) throw new Error(`no API version under ${serviceDir}`);
  const plain = join(serviceDir, apiVersion, 'service-2.json');
  const json = existsSync(plain)
    ? readFileSync(plain, 'utf8')
    : gunzipSync(readFileSync(plain + '.gz')).toString('utf8');
  return { json, apiVersion };
}

const dataDir = botocoreDataDir();
const outDir = new URL('../models/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
for (const name of MODEL_NAMES) {
  const { json, apiVersion } = readModel(join(dataDir, name));
  // Re-serialise compactly and without the prose: the models are read by programs at
  // start-up, and the documentation strings are most of their size.
  const model = JSON.parse(json, (key, value) => (key === 'documentation' ? undefined : value));
  writeFileSync(join(outDir, `${name}.json`), JSON.stringify(model) + '\n');
  console.log(`${name} ${apiVersion}`);
}
