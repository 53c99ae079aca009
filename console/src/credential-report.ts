// IAM's credential report: generated on request, then read as CSV (one row per user,
// the root user first). The dashboard and the credential report page read it.
import { GenerateCredentialReportCommand, GetCredentialReportCommand, type IAMClient } from '@aws-sdk/client-iam';

export type ReportRow = Record<string, string>;

export interface CredentialReport {
  generated: Date | undefined;
  columns: string[];
  rows: ReportRow[];
  csv: string;
}

export async function fetchCredentialReport(iam: IAMClient): Promise<CredentialReport> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { State } = await iam.send(new GenerateCredentialReportCommand({}));
    if (State === 'COMPLETE') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const report = await iam.send(new GetCredentialReportCommand({}));
  const csv = new TextDecoder().decode(report.Content);
  const [header, ...lines] = csv.split('\n').filter((line) => line.trim() !== '');
  const columns = header.split(',');
  const rows = lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [columns[i], value])));
  return { generated: report.GeneratedTime, columns, rows, csv };
}

const DAY_MS = 86_400_000;

/** Whether a report date column is a date older than `days` (or never used: 'N/A', 'no_information'). */
export function unusedFor(value: string | undefined, days: number, now = Date.now()): boolean {
  const time = Date.parse(value ?? '');
  return Number.isNaN(time) || now - time > days * DAY_MS;
}
