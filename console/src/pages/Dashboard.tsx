// The security dashboard: the account's security posture from its real state — root
// MFA and access keys (GetAccountSummary), the password policy, and from the
// credential report the users without MFA and credentials unused for 90 days.
import { GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, type PasswordPolicy } from '@aws-sdk/client-iam';
import { useAws } from '../aws.ts';
import { ErrorNote, Loading, Page, Panel } from '../components/ui.tsx';
import { fetchCredentialReport, unusedFor, type ReportRow } from '../credential-report.ts';
import { href, useLoad } from '../hooks.ts';

const ROOT = '<root_account>';
const UNUSED_DAYS = 90;

interface Check {
  title: string;
  ok: boolean;
  detail: string;
  users?: string[];
  /** Where to fix it, when it needs fixing. */
  fix?: { href: string; label: string };
}

const ROOT_FIX = { href: href('my-credentials'), label: "The root user's security credentials (sign in as root)" };

async function passwordPolicyOf(iam: ReturnType<typeof useAws>['clients']['iam']): Promise<PasswordPolicy | undefined> {
  try {
    return (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy;
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

function checksOf(summary: Record<string, number>, policy: PasswordPolicy | undefined, rows: ReportRow[]): Check[] {
  const users = rows.filter((row) => row.user !== ROOT);
  const withoutMfa = users.filter((row) => row.password_enabled === 'true' && row.mfa_active !== 'true').map((row) => row.user);
  const unusedPasswords = users
    .filter((row) => row.password_enabled === 'true' && unusedFor(row.password_last_used, UNUSED_DAYS) && unusedFor(row.password_last_changed, UNUSED_DAYS))
    .map((row) => row.user);
  const unusedKeys = users
    .filter((row) =>
      [1, 2].some(
        (n) => row[`access_key_${n}_active`] === 'true' && unusedFor(row[`access_key_${n}_last_used_date`], UNUSED_DAYS) && unusedFor(row[`access_key_${n}_last_rotated`], UNUSED_DAYS),
      ),
    )
    .map((row) => row.user);
  const strongPolicy = policy !== undefined && (policy.MinimumPasswordLength ?? 0) >= 14 && Boolean(policy.RequireSymbols && policy.RequireNumbers);
  return [
    {
      title: 'Root user has MFA',
      ok: summary.AccountMFAEnabled === 1,
      detail: summary.AccountMFAEnabled === 1 ? 'An MFA device protects the root user.' : 'The root user has no MFA device.',
      fix: ROOT_FIX,
    },
    {
      title: 'Root user has no access keys',
      ok: summary.AccountAccessKeysPresent !== 1,
      detail: summary.AccountAccessKeysPresent === 1 ? 'The root user has access keys: delete them and use IAM users or roles.' : 'No root access keys.',
      fix: ROOT_FIX,
    },
    {
      title: 'Password policy',
      ok: strongPolicy,
      detail:
        policy === undefined
          ? "No password policy: AWS's default applies (8 characters, three character types)."
          : `Minimum length ${policy.MinimumPasswordLength}; symbols ${policy.RequireSymbols ? 'required' : 'not required'}; numbers ${policy.RequireNumbers ? 'required' : 'not required'}; ${policy.MaxPasswordAge ? `expires after ${policy.MaxPasswordAge} days` : 'never expires'}.`,
    },
    {
      title: 'Console users have MFA',
      ok: withoutMfa.length === 0,
      detail: withoutMfa.length === 0 ? 'Every user with a console password has MFA.' : `${withoutMfa.length} user(s) with a console password have no MFA.`,
      users: withoutMfa,
    },
    {
      title: `No credentials unused for ${UNUSED_DAYS} days`,
      ok: unusedPasswords.length === 0 && unusedKeys.length === 0,
      detail: `${unusedPasswords.length} unused password(s), ${unusedKeys.length} user(s) with unused active access keys.`,
      users: [...new Set([...unusedPasswords, ...unusedKeys])],
    },
  ];
}

export function Dashboard() {
  const { clients } = useAws();
  const state = useLoad(async () => {
    const [summary, policy, report] = await Promise.all([
      clients.iam.send(new GetAccountSummaryCommand({})),
      passwordPolicyOf(clients.iam),
      fetchCredentialReport(clients.iam),
    ]);
    const map = (summary.SummaryMap ?? {}) as Record<string, number>;
    return { map, checks: checksOf(map, policy, report.rows) };
  }, [clients]);

  return (
    <Page title="Security dashboard" actions={<button onClick={state.reload}>Refresh</button>}>
      <ErrorNote error={state.error} />
      {state.loading && !state.data && <Loading what="the account's state" />}
      {state.data && (
        <>
          <ul className="checks">
            {state.data.checks.map((check) => (
              <li key={check.title} className={check.ok ? 'check ok' : 'check warn'}>
                <span className="badge">{check.ok ? 'OK' : 'Attention'}</span>
                <div>
                  <h2>{check.title}</h2>
                  <p>{check.detail}</p>
                  {!check.ok && check.fix && (
                    <p>
                      <a href={check.fix.href}>{check.fix.label}</a>
                    </p>
                  )}
                  {check.users && check.users.length > 0 && (
                    <ul className="inline-list">
                      {check.users.map((user) => (
                        <li key={user}>
                          <a href={href('users', user)}>{user}</a>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <Panel title="Account">
            <dl className="stats">
              {['Users', 'Groups', 'Roles', 'Policies', 'MFADevicesInUse', 'AccessKeysPerUserQuota'].map((key) => (
                <div key={key}>
                  <dt>{key}</dt>
                  <dd>{state.data!.map[key] ?? 0}</dd>
                </div>
              ))}
            </dl>
          </Panel>
        </>
      )}
    </Page>
  );
}
