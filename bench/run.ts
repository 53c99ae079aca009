// Runs the benchmarks: `npm run bench` runs them all, `npm run bench -- NAME` those
// whose file name (bench/NAME.bench.ts) starts with NAME. Each result is
// printed as one JSON line {"bench","value","unit","target"} for programs to read.
import { readdirSync } from 'node:fs';

export interface BenchResult {
  bench: string;
  value: number;
  unit: string;
  target: number;
}

export interface Benchmark {
  /** Runs the measurement and returns its figures; progress goes to stderr. */
  run(): Promise<BenchResult[]>;
}

const wanted = process.argv.slice(2);
const dir = new URL('./', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(' ')}`);
  process.exit(1);
}
for (const file of files) {
  const { default: benchmark } = (await import(new URL(file, dir).href)) as { default: Benchmark };
  for (const result of await benchmark.run()) console.log(JSON.stringify(result));
}
