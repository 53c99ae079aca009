// IAM's credential report: every user's passwords, access keys, MFA and certificates
// with their last use, as a table and as the CSV IAM returns (downloaded as a file).
import { useEffect, useState } from 'react';
import { useAws } from '../aws.ts';
import { ErrorNote, formatTime, Loading, Page, Panel } from '../components/ui.tsx';
import { fetchCredentialReport } from '../credential-report.ts';
import { useLoad } from '../hooks.ts';

const SHOWN_COLUMNS = [
  'user',
  'password_enabled',
  'password_last_used',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_used_date',
  'access_key_2_active',
  'access_key_2_last_used_date',
];

export function CredentialReport() {
  const { clients } = useAws();
  const report = useLoad(() => fetchCredentialReport(clients.iam), [clients]);
  const [csvUrl, setCsvUrl] = useState<string>();
  useEffect(() => {
    if (!report.data) return;
    const url = URL.createObjectURL(new Blob([report.data.csv], { type: 'text/csv' }));
    setCsvUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [report.data]);

  return (
    <Page
      title="Credential report"
      actions={
        <>
          {csvUrl && (
            <a className="button" href={csvUrl} download="credential-report.csv">
              Download CSV
            </a>
          )}{' '}
          <button onClick={report.reload}>Refresh</button>
        </>
      }
    >
      <ErrorNote error={report.error} />
      {report.loading && !report.data && <Loading what="the credential report" />}
      {report.data && (
        <Panel title={`Generated ${formatTime(report.data.generated)}`}>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  {SHOWN_COLUMNS.map((column) => (
                    <th key={column} scope="col">
                      {column.replace(/_/g, ' ')}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {report.data.rows.map((row) => (
                  <tr key={row.arn}>
                    {SHOWN_COLUMNS.map((column) => (
                      <td key={column}>{row[column]}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">
            The CSV has every column IAM reports ({report.data.columns.length}). IAM makes a new report at most every four hours, as AWS does.
          </p>
        </Panel>
      )}
    </Page>
  );
}
