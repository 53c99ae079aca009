// The validation corpus: documents AWS refuses, each with the exact message it answers
// with, and documents it accepts. Each case is its own test; fixtures say where the
// message comes from (`source`) and whether that wording is on public record (`verified`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validatePolicy } from '../../../src/policy/validate.ts';
import type { PolicyKind } from '../../../src/policy/kinds.ts';

interface Case {
  name: string;
  kind: PolicyKind;
  document?: unknown;
  text?: string;
  existingPrincipals?: string[];
  source: string;
}
interface InvalidCase extends Case {
  expected: { code: string; message: string };
  verified: boolean;
}

function load<T>(file: string): T[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/validation/${file}`, import.meta.url), 'utf8')) as T[];
}

function run(fixture: Case) {
  const text = fixture.text ?? JSON.stringify(fixture.document, null, 2);
  const existing = fixture.existingPrincipals;
  return validatePolicy(text, fixture.kind, existing ? { principalExists: (arn) => existing.includes(arn) } : {});
}

describe('policy documents AWS refuses, with its exact MalformedPolicyDocument message', () => {
  for (const fixture of load<InvalidCase>('invalid.json')) {
    it(`${fixture.kind}: ${fixture.name} -> ${fixture.expected.message}`, () => {
      const result = run(fixture);
      assert.equal(result.ok, false, 'the document should be refused');
      if (result.ok) return;
      assert.equal(result.message, fixture.expected.message);
      assert.equal(result.code, fixture.expected.code);
      assert.equal(result.status, 400);
    });
  }
});

describe('policy documents AWS accepts', () => {
  for (const fixture of load<Case>('valid.json')) {
    it(`${fixture.kind}: ${fixture.name}`, () => {
      assert.deepEqual(run(fixture), { ok: true });
    });
  }
});
