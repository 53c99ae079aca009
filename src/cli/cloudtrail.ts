// `bulwark cloudtrail validate-logs`: the offline counterpart of `aws cloudtrail
// validate-logs`, reading the trail's local bucket tree (<data dir>/s3/<bucket>/) and
// Bulwark's store (the trail and the public keys). Same arguments, output and exit code
// (0 all valid, 1 something invalid; 2 for a usage error, 255 when validation cannot run,
// as the AWS CLI's errors).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Clock } from '../lib/clock.ts';
import { restoreClock } from '../server/admin.ts';
import { ValidateLogsError, validateTrailLogs } from '../services/cloudtrail/validate-logs.ts';
import { openStore, type Store } from '../store/index.ts';
import { UsageError } from './options.ts';

export const CLOUDTRAIL_USAGE = `Usage: bulwark cloudtrail validate-logs --trail-arn ARN --start-time TIME [options]

Validates the digest and log files a trail delivered to its local bucket
(<data dir>/s3/<bucket>/), as \`aws cloudtrail validate-logs\` does in S3.

  --trail-arn ARN     the trail (required)
  --start-time TIME   validate files delivered on or after TIME, e.g. 2015-01-08T05:21:42Z (required)
  --end-time TIME     ... and on or before TIME (default: now on Bulwark's clock)
  --region REGION     digests of this region (default: the trail's home region)
  --s3-bucket NAME    the bucket, when it is no longer the trail's
  --s3-prefix PREFIX  the key prefix, when it is no longer the trail's
  --account-id ID     the member account to validate (required for organization trails)
  --data-dir DIR      Bulwark's data directory (BULWARK_DATA_DIR; default ./.bulwark)
  --store URL         Bulwark's store (BULWARK_STORE; default sqlite:DATA_DIR/bulwark.db)
  --verbose           list every valid file too
`;

export async function cloudtrailCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === 'help' || subcommand === '--help' || subcommand === '-h') {
    process.stdout.write(CLOUDTRAIL_USAGE);
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand !== 'validate-logs') {
    process.stderr.write(`bulwark cloudtrail: unknown command '${subcommand}'\n\n${CLOUDTRAIL_USAGE}`);
    return 2;
  }
  let options;
  try {
    options = readValidateLogsArgs(rest, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bulwark cloudtrail validate-logs: ${error.message}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(CLOUDTRAIL_USAGE);
    return 0;
  }
  const store = await openStore(options.store);
  try {
    const report = await validateTrailLogs(store, { ...options, end: options.end ?? (await bulwarkNow(store)) });
    process.stdout.write(report.stdout);
    process.stderr.write(report.stderr);
    return report.exitCode;
  } catch (error) {
    if (!(error instanceof ValidateLogsError)) throw error;
    process.stderr.write(`\n${error.message}\n`);
    return 255;
  } finally {
    await store.close();
  }
}

function readValidateLogsArgs(args: string[], env: NodeJS.ProcessEnv) {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        'trail-arn': { type: 'string' },
        'start-time': { type: 'string' },
        'end-time': { type: 'string' },
        region: { type: 'string' },
        's3-bucket': { type: 'string' },
        's3-prefix': { type: 'string' },
        'account-id': { type: 'string' },
        'data-dir': { type: 'string' },
        store: { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return 'help' as const;
  if (!values['trail-arn']) throw new UsageError('the following arguments are required: --trail-arn');
  if (!values['start-time']) throw new UsageError('the following arguments are required: --start-time');
  const dataDir = resolve(values['data-dir'] ?? env.BULWARK_DATA_DIR ?? '.bulwark');
  return {
    trailArn: values['trail-arn'],
    start: parseTime(values['start-time']),
    ...(values['end-time'] && { end: parseTime(values['end-time']) }),
    ...(values.region && { region: values.region }),
    ...(values['s3-bucket'] && { s3Bucket: values['s3-bucket'] }),
    ...(values['s3-prefix'] && { s3Prefix: values['s3-prefix'] }),
    ...(values['account-id'] && { accountId: values['account-id'] }),
    dataDir,
    store: values.store ?? env.BULWARK_STORE ?? `sqlite:${resolve(dataDir, 'bulwark.db')}`,
    verbose: values.verbose ?? false,
  };
}

/** Now on Bulwark's clock, which tests may have moved ahead (POST /_bulwark/clock). */
async function bulwarkNow(store: Store): Promise<Date> {
  const clock = new Clock();
  await restoreClock(store, clock);
  return clock.now();
}

/** An ISO 8601 time; one without a zone is UTC, as for the AWS CLI. */
function parseTime(text: string): Date {
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || !/T|\d:\d/.test(text) ? text : `${text}Z`;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(zoned) ? `${zoned}T00:00:00Z` : zoned);
  if (Number.isNaN(at.getTime())) throw new UsageError(`Unable to parse date value: ${text}`);
  return at;
}
