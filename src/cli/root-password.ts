// `bulwark root-password`: sets the root user's console password of an account in the
// store a server uses (the same --store / --data-dir / --account-id settings). The
// password is read from standard input, never from the command line (it would show in
// the process list and shell history); --generate makes a random one and prints it.
import { Clock } from '../lib/clock.ts';
import { AwsError } from '../protocol/errors.ts';
import { generateRootPassword, setRootPassword } from '../server/root-password.ts';
import { openStore } from '../store/index.ts';
import { readSettings } from './options.ts';

export const ROOT_PASSWORD_USAGE = `Usage: bulwark root-password [--generate] [--account-id ID] [--store URL | --data-dir DIR]

Sets the console password of the account's root user. The password is read from
standard input (one line); with --generate a random one is made and printed once.
`;

export async function rootPassword(args: string[]): Promise<number> {
  const generate = args.includes('--generate');
  const settings = readSettings(
    args.filter((a) => a !== '--generate'),
    process.env,
  );
  const password = generate ? generateRootPassword() : await readLine();
  if (!password) {
    process.stderr.write('bulwark: give the new root password on standard input (or use --generate)\n');
    return 2;
  }
  const store = await openStore(settings.store);
  try {
    await setRootPassword({ store, clock: new Clock(), region: settings.region }, settings.accountId, password);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    process.stderr.write(`bulwark: ${error.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
  if (generate) process.stdout.write(`${password}\n`);
  process.stderr.write(`The root password of account ${settings.accountId} is set.\n`);
  return 0;
}

/** The first line of standard input, without its line ending. */
async function readLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('New root password: ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}
