// The AWS managed policy catalog (arn:aws:iam::aws:policy/...), read on first use.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadManagedPolicies, managedPolicyArn, type ManagedPolicyCatalog } from '../../../src/policy/managed-policies.ts';

describe('AWS managed policies', () => {
  let catalog: ManagedPolicyCatalog;
  before(async () => {
    catalog = await loadManagedPolicies();
  });

  it('AdministratorAccess: default version v1 allows everything', () => {
    const admin = catalog.getByName('AdministratorAccess');
    assert.equal(admin?.arn, 'arn:aws:iam::aws:policy/AdministratorAccess');
    assert.equal(admin?.path, '/');
    assert.equal(admin?.defaultVersionId, 'v1');
    const version = catalog.getVersion('arn:aws:iam::aws:policy/AdministratorAccess');
    assert.equal(version?.document, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');
    assert.equal(version?.isDefaultVersion, true);
  });

  it('keeps the path in the ARN: service-role/, job-function/, aws-service-role/', () => {
    const lambda = catalog.getByName('AWSLambdaBasicExecutionRole');
    assert.equal(lambda?.arn, 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole');
    assert.equal(lambda?.path, '/service-role/');
    assert.equal(catalog.getByArn('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess')?.path, '/job-function/');
    const slr = catalog.list().find((policy) => policy.path === '/aws-service-role/');
    assert.ok(slr?.serviceLinkedRolePolicy);
    assert.equal(catalog.getByName('AdministratorAccess')?.serviceLinkedRolePolicy, false);
    for (const policy of catalog.list()) assert.equal(policy.arn, managedPolicyArn(policy.name, policy.path));
  });

  it('lists every policy once, sorted by name, with dates', () => {
    const names = catalog.list().map((policy) => policy.name);
    assert.ok(names.length > 1000);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    assert.equal(catalog.getByName('AdministratorAccess')?.createDate, '2015-02-06T18:39:46.000Z');
  });

  it('returns any stored version, newest first, and the default one when none is asked', () => {
    const arn = 'arn:aws:iam::aws:policy/PowerUserAccess';
    const versions = catalog.versions(arn);
    assert.ok(versions.length > 1);
    assert.equal(versions[0].versionId, catalog.getByArn(arn)?.defaultVersionId);
    assert.equal(versions.filter((version) => version.isDefaultVersion).length, 1);
    const v1 = catalog.getVersion(arn, 'v1');
    assert.deepEqual(JSON.parse(v1!.document).Statement, [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }]);
    assert.equal(v1?.isDefaultVersion, false);
  });

  it('answers undefined for unknown policies and versions', () => {
    assert.equal(catalog.getByArn('arn:aws:iam::aws:policy/NoSuchPolicy'), undefined);
    assert.equal(catalog.getByArn('arn:aws:iam::aws:policy/service-role/AdministratorAccess'), undefined);
    assert.equal(catalog.getVersion('arn:aws:iam::aws:policy/AdministratorAccess', 'v99'), undefined);
    assert.deepEqual(catalog.versions('arn:aws:iam::123456789012:policy/mine'), []);
  });

  it('loads once: later calls share the catalog', async () => {
    assert.equal(await loadManagedPolicies(), catalog);
  });
});
