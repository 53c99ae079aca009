// CreateGovCloudAccount: no management account has a paired GovCloud (US) account here.
import { describe, it } from 'node:test';
import { openStore } from '../../../src/store/index.ts';
import { call, createMember, OUTSIDER, rejects } from './helpers.ts';

describe('Organizations: CreateGovCloudAccount', () => {
  it('the management account: ConstraintViolationException MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED; a member: AccessDeniedException', async () => {
    const store = await openStore('memory:');
    await call(store, 'CreateOrganization');
    const memberId = await createMember(store, 'm@example.com');
    const input = { Email: 'gov@example.com', AccountName: 'gov' };
    await rejects(call(store, 'CreateGovCloudAccount', input), 'ConstraintViolationException', 'MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED');
    await rejects(call(store, 'CreateGovCloudAccount', input, memberId), 'AccessDeniedException');
    await rejects(call(store, 'CreateGovCloudAccount', input, OUTSIDER), 'AWSOrganizationsNotInUseException');
  });
});
