// Who is calling, and whose key is this: GetCallerIdentity and GetAccessKeyInfo.
import type {
  GetAccessKeyInfoRequest,
  GetAccessKeyInfoResponse,
  GetCallerIdentityResponse,
} from '../../protocol/types/sts.ts';
import type { RequestContext } from '../service.ts';
import { accountOfAccessKeyId } from './access-key-ids.ts';
import { callerCredential } from './credentials.ts';

/** The principal's own forms: root -> the account id; users AIDA...; role sessions AROA...:session; federated users ACCT:name. */
export function getCallerIdentity(_input: unknown, { principal }: RequestContext): GetCallerIdentityResponse {
  return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
}

/**
 * The account that owns an access key: Bulwark's own keys are looked up; any other
 * key id is decoded as AWS does (the account is encoded in the id), and ids too old
 * or too short to carry one answer Bulwark's default account.
 */
export async function getAccessKeyInfo(input: GetAccessKeyInfoRequest, context: RequestContext): Promise<GetAccessKeyInfoResponse> {
  const stored = await callerCredential(context.store, input.AccessKeyId);
  if (stored) return { Account: stored.principal.accountId };
  return { Account: accountOfAccessKeyId(input.AccessKeyId) ?? context.defaultAccountId };
}
