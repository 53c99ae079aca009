// GetHumanReadableSummary: a plain-language account of what a delegation request would
// grant. AWS writes it with a language model; Bulwark writes it from the request's
// permission policy, statement by statement, so the same request always reads the same.
// The only entity type AWS supports is delegation-request, and who may read the summary
// is exactly who may read the request.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { invalidInput, noSuchEntity } from '../common.ts';
import { DELEGATION_STORE, type DelegationRequestRecord } from '../records.ts';
import { mayRead, notAuthorized } from './parties.ts';

const DELEGATION_REQUEST_ARN = /^arn:aws:iam::\d{12}:delegation-request\/([\w-]+)$/;
/** The locales Bulwark writes summaries in (AWS takes the console's languages). */
const SUPPORTED_LOCALES = new Set(['en', 'en-US', 'en-GB']);

type Statement = { Effect?: string; Action?: unknown; NotAction?: unknown; Resource?: unknown; NotResource?: unknown; Condition?: unknown };

const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]);

function describeStatement(statement: Statement): string {
  const verb = statement.Effect === 'Deny' ? 'Denies' : 'Allows';
  const actions = statement.NotAction !== undefined ? `every action except ${list(statement.NotAction).join(', ')}` : list(statement.Action).join(', ');
  const resources =
    statement.NotResource !== undefined ? `every resource except ${list(statement.NotResource).join(', ')}` : list(statement.Resource).join(', ') || 'any resource';
  const condition = statement.Condition ? `, under the conditions ${JSON.stringify(statement.Condition)}` : '';
  return `${verb} ${actions} on ${resources === '*' ? 'all resources' : resources}${condition}.`;
}

export function summarizePolicy(policy: string): string {
  const parsed = JSON.parse(policy) as { Statement?: Statement | Statement[] };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  const lines = statements.map((statement) => `- ${describeStatement(statement)}`);
  return [`This delegation request asks for ${statements.length === 1 ? 'one permission' : `${statements.length} permissions`}:`, ...lines].join('\n');
}

export const summaryHandlers: Handlers<Operations> = {
  async GetHumanReadableSummary(input, context) {
    const match = DELEGATION_REQUEST_ARN.exec(input.EntityArn);
    if (!match) throw invalidInput(`Entity type of ${input.EntityArn} is not supported. The only supported entity type is delegation-request.`);
    const id = match[1];
    const record = await context.store.get<DelegationRequestRecord>(DELEGATION_STORE.requests, id);
    if (!record) throw noSuchEntity(`Delegation request ${id} does not exist.`);
    if (!mayRead(record, context.principal)) {
      throw notAuthorized(context.principal, 'GetHumanReadableSummary', id, 'the delegation request belongs to another account');
    }
    const locale = input.Locale ?? 'en';
    if (!SUPPORTED_LOCALES.has(locale)) return { Locale: locale, SummaryState: 'NOT_SUPPORTED' as const };
    return { SummaryContent: summarizePolicy(record.permissionPolicy), Locale: locale, SummaryState: 'AVAILABLE' as const };
  },
};
