// A real `bulwark start` child process for tests that must kill it (SIGKILL) or
// restart it: on a free port, found by reading the line it prints once it listens.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

export interface BulwarkProcess {
  child: ChildProcess;
  url: string;
}

/** Starts `bulwark start --port 0 --log-level error ...args`; resolves once it listens. */
export async function startBulwarkProcess(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<BulwarkProcess> {
  const child = spawn(process.execPath, [MAIN, 'start', '--port', '0', '--log-level', 'error', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env,
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += `${line}\n`;
      const match = /is listening on (http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`bulwark exited (code ${code}) before listening:\n${stderr}`)));
  });
  return { child, url };
}
