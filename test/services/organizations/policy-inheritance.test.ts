// Management policy inheritance, as the Organizations User Guide's "Policy inheritance
// examples" describe it (policies A to K), plus the edges those examples leave open.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectivePolicy, syntaxProblems, type InheritedPolicy, type Json } from '../../../src/services/organizations/policy-inheritance.ts';

const policy = (id: string, content: Json): InheritedPolicy => ({ id, content });

// Policy A – organization root tag policy.
const A = policy('A', {
  tags: { costcenter: { tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['Development', 'Support'] } } },
});

describe('effective management policies (AWS inheritance examples)', () => {
  it('a single policy at the root: its operators are resolved into values', () => {
    assert.deepEqual(effectivePolicy([[A], [], []]).policy, {
      tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Development', 'Support'] } },
    });
  });

  it('example 1: @@assign in an OU policy overwrites the inherited values and adds enforced_for', () => {
    const B = policy('B', {
      tags: {
        costcenter: {
          tag_key: { '@@assign': 'CostCenter' },
          tag_value: { '@@assign': ['Sandbox'] },
          enforced_for: { '@@assign': ['redshift:*', 'dynamodb:table'] },
        },
      },
    });
    const { policy: result, problems } = effectivePolicy([[A], [B], []]);
    assert.deepEqual(result, {
      tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Sandbox'], enforced_for: ['redshift:*', 'dynamodb:table'] } },
    });
    assert.deepEqual(problems, []);
  });

  const C = policy('C', {
    tags: {
      costcenter: {
        tag_key: { '@@assign': 'CostCenter' },
        tag_value: { '@@append': ['Marketing'] },
        enforced_for: { '@@append': ['redshift:*', 'dynamodb:table'] },
      },
    },
  });

  it('example 2: @@append adds to the inherited values, and creates a setting that was not inherited', () => {
    assert.deepEqual(effectivePolicy([[A], [C], []]).policy, {
      tags: {
        costcenter: {
          tag_key: 'CostCenter',
          tag_value: ['Development', 'Support', 'Marketing'],
          enforced_for: ['redshift:*', 'dynamodb:table'],
        },
      },
    });
  });

  it('example 3: @@remove in an account policy takes values out of what the root and OU gave', () => {
    // The guide prints policy D with enforced_for nested inside tag_value; either way the
    // account ends with Support as the only value and no enforcement from A and D.
    const D = policy('D', {
      tags: {
        costcenter: {
          tag_key: { '@@assign': 'CostCenter' },
          tag_value: { '@@remove': ['Development', 'Marketing'], enforced_for: { '@@remove': ['redshift:*', 'dynamodb:table'] } },
        },
      },
    });
    assert.deepEqual(effectivePolicy([[A], [], [D]]).policy, { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Support'] } } });
    // With policy C on the OU as well, removing enforced_for's values leaves no enforcement.
    const D2 = policy('D2', {
      tags: {
        costcenter: {
          tag_value: { '@@remove': ['Development', 'Marketing'] },
          enforced_for: { '@@remove': ['redshift:*', 'dynamodb:table'] },
        },
      },
    });
    assert.deepEqual(effectivePolicy([[A], [C], [D2]]).policy, { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Support'] } } });
  });

  it('example 4: @@none locks the tag key, ["@@append"] lets children only append values', () => {
    const E = policy('E', {
      tags: {
        project: {
          tag_key: { '@@operators_allowed_for_child_policies': ['@@none'], '@@assign': 'Project' },
          tag_value: { '@@operators_allowed_for_child_policies': ['@@append'], '@@assign': ['Maintenance', 'Escalations'] },
        },
      },
    });
    const F = policy('F', {
      tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Escalations - research'] } } },
    });
    const { policy: result, problems } = effectivePolicy([[E], [F], []]);
    assert.deepEqual(result, {
      tags: { project: { tag_key: 'Project', tag_value: ['Maintenance', 'Escalations', 'Escalations - research'] } },
    });
    assert.deepEqual(problems, [
      { code: 'OPERATOR_NOT_ALLOWED', path: 'tags/project/tag_key', policyId: 'F', message: 'A parent policy does not allow @@assign here.' },
    ]);
  });

  it('example 5: child control operators of policies on the same node intersect: children may append, not remove', () => {
    const G = policy('G', {
      tags: { project: { tag_value: { '@@operators_allowed_for_child_policies': ['@@append'], '@@assign': ['Maintenance'] } } },
    });
    const H = policy('H', { tags: { project: { tag_value: { '@@operators_allowed_for_child_policies': ['@@append', '@@remove'] } } } });
    const child = policy('child', { tags: { project: { tag_value: { '@@remove': ['Maintenance'], '@@append': ['Research'] } } } });
    const { policy: result, problems } = effectivePolicy([[G, H], [child]]);
    assert.deepEqual(result, { tags: { project: { tag_value: ['Maintenance', 'Research'] } } });
    assert.deepEqual(
      problems.map((p) => [p.code, p.policyId]),
      [['OPERATOR_NOT_ALLOWED', 'child']],
    );
  });

  it('example 6: two policies on the root assigning the same setting: the one attached first wins', () => {
    const J = policy('J', { tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Maintenance'] } } } });
    const K = policy('K', { tags: { project: { tag_key: { '@@assign': 'project' } } } });
    assert.deepEqual(effectivePolicy([[J, K]]).policy, { tags: { project: { tag_key: 'PROJECT', tag_value: ['Maintenance'] } } });
    assert.deepEqual(effectivePolicy([[K, J]]).policy, { tags: { project: { tag_key: 'project', tag_value: ['Maintenance'] } } });
  });
});

describe('effective management policies: edges', () => {
  it('a restriction binds levels below, not policies on the same node', () => {
    const lock = policy('lock', { tags: { '@@operators_allowed_for_child_policies': ['@@none'], team: { tag_key: { '@@assign': 'Team' } } } });
    const sameLevel = policy('same', { tags: { owner: { tag_key: { '@@assign': 'Owner' } } } });
    const below = policy('below', { tags: { env: { tag_key: { '@@assign': 'Env' } }, team: { tag_key: { '@@assign': 'TEAM' } } } });
    const { policy: result, problems } = effectivePolicy([[lock, sameLevel], [below]]);
    // @@none on "tags" covers every setting beneath it, including ones the parent never set.
    assert.deepEqual(result, { tags: { team: { tag_key: 'Team' }, owner: { tag_key: 'Owner' } } });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['tags/env/tag_key', 'tags/team/tag_key'],
    );
  });

  it('a child cannot widen what a parent allowed: @@all below ["@@append"] still allows only @@append', () => {
    const parent = policy('p', { opt_out_policy: { '@@operators_allowed_for_child_policies': ['@@append'], '@@assign': ['optOut'] } });
    const middle = policy('m', { opt_out_policy: { '@@operators_allowed_for_child_policies': ['@@all'] } });
    const leaf = policy('l', { opt_out_policy: { '@@assign': ['optIn'] } });
    const { policy: result, problems } = effectivePolicy([[parent], [middle], [leaf]]);
    assert.deepEqual(result, { opt_out_policy: ['optOut'] });
    assert.equal(problems[0]?.code, 'OPERATOR_NOT_ALLOWED');
  });

  it('@@append does not repeat a value already inherited; removing every value drops the setting', () => {
    const base = policy('base', { tags: { cc: { tag_key: { '@@assign': 'CC' }, tag_value: { '@@assign': ['a', 'b'] } } } });
    const again = policy('again', { tags: { cc: { tag_value: { '@@append': ['b', 'c'] } } } });
    const none = policy('none', { tags: { cc: { tag_value: { '@@remove': ['a', 'b', 'c'] } } } });
    assert.deepEqual(effectivePolicy([[base], [again]]).policy, { tags: { cc: { tag_key: 'CC', tag_value: ['a', 'b', 'c'] } } });
    assert.deepEqual(effectivePolicy([[base], [again], [none]]).policy, { tags: { cc: { tag_key: 'CC' } } });
  });

  it('malformed operators are ignored and reported: unknown @@ keys, @@append of a scalar, list operators on a single value', () => {
    const base = policy('base', { tags: { cc: { tag_key: { '@@assign': 'CC' } } } });
    const bad = policy('bad', {
      tags: { cc: { tag_key: { '@@append': ['x'] }, tag_value: { '@@append': 'y', '@@replace': ['z'] }, enforced_for: 'ec2:instance' } },
    });
    const { policy: result, problems } = effectivePolicy([[base], [bad]]);
    assert.deepEqual(result, { tags: { cc: { tag_key: 'CC' } } });
    assert.deepEqual(
      problems.map((p) => [p.code, p.path]),
      [
        ['LIST_OPERATOR_ON_SINGLE_VALUE', 'tags/cc/tag_key'],
        ['INVALID_OPERATOR_VALUE', 'tags/cc/tag_value'],
        ['UNKNOWN_OPERATOR', 'tags/cc/tag_value'],
        ['INVALID_SETTING', 'tags/cc/enforced_for'],
      ],
    );
  });

  it('a backup policy merges the same way: nested plans, @@assign of scalars, regions appended', () => {
    const root = policy('root', {
      plans: {
        daily: {
          regions: { '@@assign': ['us-east-1'] },
          rules: { nightly: { schedule_expression: { '@@assign': 'cron(0 5 ? * * *)' }, target_backup_vault_name: { '@@assign': 'Default' } } },
        },
      },
    });
    const ou = policy('ou', { plans: { daily: { regions: { '@@append': ['eu-west-1'] }, rules: { nightly: { target_backup_vault_name: { '@@assign': 'Vault' } } } } } });
    assert.deepEqual(effectivePolicy([[root], [ou]]).policy, {
      plans: {
        daily: {
          regions: ['us-east-1', 'eu-west-1'],
          rules: { nightly: { schedule_expression: 'cron(0 5 ? * * *)', target_backup_vault_name: 'Vault' } },
        },
      },
    });
  });

  it('syntaxProblems judges one policy alone: AWS\'s examples have none, a child control operator is no problem on its own', () => {
    assert.deepEqual(syntaxProblems(A.content), []);
    assert.deepEqual(syntaxProblems({ tags: { p: { tag_key: { '@@operators_allowed_for_child_policies': ['@@none'], '@@assign': 'P' } } } }), []);
    assert.deepEqual(
      syntaxProblems({ tags: { p: { tag_key: 'P' } } }).map((p) => p.code),
      ['INVALID_SETTING'],
    );
    assert.deepEqual(syntaxProblems('not an object').map((p) => p.code), ['INVALID_SETTING']);
  });

  it('nothing attached anywhere: an empty document', () => {
    assert.deepEqual(effectivePolicy([[], []]), { policy: {}, problems: [] });
  });
});
