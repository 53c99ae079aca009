// Runs the evaluation corpus (test/policy/fixtures/evaluation/*.json): every case is a
// request, the policies that apply to it and AWS's documented answer, with the section
// of AWS's documentation it encodes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import {
  compilePolicy,
  evaluate,
  explainDenial,
  type AuthorizationRequest,
  type CompiledPolicy,
  type PolicySet,
} from '../../../src/policy/index.ts';

type PolicyEntry = object | { id: string; document: object };

interface Case {
  name: string;
  doc: { url: string; section: string };
  request: AuthorizationRequest;
  policies: {
    identity?: PolicyEntry[];
    resource?: PolicyEntry | PolicyEntry[];
    permissionsBoundary?: PolicyEntry;
    session?: PolicyEntry[];
    scps?: PolicyEntry[][];
    rcps?: PolicyEntry[][];
    resourcePolicyRequired?: boolean;
    principalInManagementAccount?: boolean;
    resourceInManagementAccount?: boolean;
    serviceLinkedRole?: boolean;
  };
  expect: {
    decision: string;
    decidedBy: string;
    missingContextKeys?: string[];
    reason?: string;
    matchedSids?: string[];
    allowedByOrganizations?: boolean;
    allowedByPermissionsBoundary?: boolean;
  };
}

const dir = new URL('../fixtures/evaluation/', import.meta.url);

function compileEntry(entry: PolicyEntry, fallbackId: string): CompiledPolicy {
  if ('document' in entry && 'id' in entry) return compilePolicy(entry.document as object, entry.id as string);
  return compilePolicy(entry, fallbackId);
}

function policySet(c: Case): PolicySet {
  const p = c.policies;
  const list = (entries: PolicyEntry[] | undefined, kind: string) => entries?.map((e, i) => compileEntry(e, `${kind}-${i}`));
  const resource = p.resource === undefined ? undefined : Array.isArray(p.resource) ? list(p.resource, 'resource') : compileEntry(p.resource, 'resource-0');
  return {
    identity: list(p.identity, 'identity'),
    resource,
    permissionsBoundary: p.permissionsBoundary && compileEntry(p.permissionsBoundary, 'boundary-0'),
    session: list(p.session, 'session'),
    scps: p.scps?.map((level, n) => list(level, `scp-${n}`)!),
    rcps: p.rcps?.map((level, n) => list(level, `rcp-${n}`)!),
    resourcePolicyRequired: p.resourcePolicyRequired,
    principalInManagementAccount: p.principalInManagementAccount,
    resourceInManagementAccount: p.resourceInManagementAccount,
    serviceLinkedRole: p.serviceLinkedRole,
  };
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const { description, cases } = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { description: string; cases: Case[] };
  describe(`${file}: ${description}`, () => {
    for (const c of cases) {
      test(c.name, () => {
        assert.ok(c.doc?.url?.startsWith('https://docs.aws.amazon.com/') && c.doc.section, 'every case cites AWS documentation');
        const decision = evaluate(c.request, policySet(c));
        const e = c.expect;
        assert.equal(decision.decision, e.decision, `decision (${c.doc.section})`);
        assert.equal(decision.decidedBy, e.decidedBy, 'deciding policy type');
        if (e.missingContextKeys) assert.deepEqual([...decision.missingContextKeys].sort(), [...e.missingContextKeys].sort());
        if (e.matchedSids) assert.deepEqual(decision.matchedStatements.map((s) => s.sid ?? '').sort(), [...e.matchedSids].sort());
        if (e.reason !== undefined) assert.equal(explainDenial(decision, c.request), e.reason);
        if ('allowedByOrganizations' in e) assert.equal(decision.allowedByOrganizations, e.allowedByOrganizations);
        if ('allowedByPermissionsBoundary' in e) assert.equal(decision.allowedByPermissionsBoundary, e.allowedByPermissionsBoundary);
      });
    }
  });
}
