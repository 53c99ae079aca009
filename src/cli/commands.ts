// The `bulwark` command: its subcommands (loaded by main.ts, the entry point).
import { Logger } from '../lib/log.ts';
import { startServer } from '../server/server.ts';
import { redactStoreUrl } from '../store/index.ts';
import { VERSION } from '../server/admin.ts';
import { cloudtrailCommand } from './cloudtrail.ts';
import { optionsHelp, readSettings, UsageError } from './options.ts';
import { rootPassword, ROOT_PASSWORD_USAGE } from './root-password.ts';

const USAGE = `Usage: bulwark start [options]
       bulwark root-password [--generate] [options]
       bulwark cloudtrail validate-logs --trail-arn ARN --start-time TIME [options]
       bulwark version

Starts Bulwark, a local AWS security cloud, speaking the AWS wire protocols.
Each option can also be set with its environment variable; the flag wins.

${optionsHelp()}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case 'cloudtrail':
      return cloudtrailCommand(rest, process.env);
    case 'root-password':
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(ROOT_PASSWORD_USAGE);
        return 0;
      }
      return withUsageErrors(() => rootPassword(rest));
    case 'version':
    case '--version':
      console.log(VERSION);
      return 0;
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`bulwark: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

/** Runs a command, answering a UsageError with its message and exit code 2. */
async function withUsageErrors(command: () => Promise<number>): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bulwark: ${error.message}\n`);
    return 2;
  }
}

async function start(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let settings;
  try {
    settings = readSettings(args, process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bulwark: ${error.message}\n`);
    return 2;
  }
  const logger = new Logger(settings.logLevel);
  const server = await startServer(settings, logger);
  logger.info('bulwark started', {
    url: server.url,
    store: redactStoreUrl(settings.store),
    auth: settings.auth,
    iamMode: settings.iamMode,
    accountId: settings.accountId,
    region: settings.region,
  });
  if (server.rootPassword) {
    process.stderr.write(
      `\nThe root user of account ${settings.accountId} had no console password; this one was made for it.\n` +
        `It is shown only this once (change it with \`bulwark root-password\`):\n  ${server.rootPassword}\n`,
    );
  }
  process.stderr.write(
    `\nBulwark ${VERSION} is listening on ${server.url}\n` +
      `The console: ${server.url}/console/\n` +
      `Point the AWS CLI at it:\n` +
      `  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=${settings.region}\n` +
      `  aws --endpoint-url ${server.url} sts get-caller-identity\n\n`,
  );

  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    server.close().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error) => {
        logger.error('shutdown failed', { error: (error as Error).stack });
        logger.flush();
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return new Promise(() => {}); // runs until a signal
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (error) => {
    process.stderr.write(`bulwark: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
