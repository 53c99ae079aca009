// Who takes part in a delegation request, and which part each may play: the partner
// account that created it (the requestor), the customer account it is for (the owner
// account) and the identity that claimed it there (the owner). AWS describes these as
// default permissions (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies-temporary-delegation.html);
// a caller outside its part is refused with AccessDenied, as a missing permission is.
import type { Principal } from '../../../auth/principal.ts';
import { AwsError } from '../../../protocol/errors.ts';
import type { DelegationRequestRecord } from '../records.ts';

/** The root user may approve delegations of at most 4 hours. */
export const ROOT_MAX_SESSION_SECONDS = 4 * 60 * 60;

/** The request's ARN as the caller's policies name it (its side of the request is in its own account). */
export function delegationRequestArn(accountId: string, id: string): string {
  return `arn:aws:iam::${accountId}:delegation-request/${id}`;
}

export function notAuthorized(principal: Principal, operation: string, id: string, reason?: string): AwsError {
  const message =
    `User: ${principal.arn} is not authorized to perform: iam:${operation} on resource: ` +
    delegationRequestArn(principal.accountId, id) +
    (reason ? ` because ${reason}` : '');
  return new AwsError('AccessDenied', message, { status: 403, senderFault: true });
}

/** Get: the requestor, anyone while no account owns it, else identities of the owner account. */
export function mayRead(record: DelegationRequestRecord, principal: Principal): boolean {
  return (
    principal.accountId === record.requestorAccountId ||
    record.ownerAccountId === undefined ||
    principal.accountId === record.ownerAccountId
  );
}

/** Associate: any account for an untargeted request, else only the targeted account. */
export function mayAssociate(record: DelegationRequestRecord, principal: Principal): boolean {
  return record.ownerAccountId === undefined || principal.accountId === record.ownerAccountId;
}

/** Update, Accept, Reject, Send: identities of the account that owns the request. */
export function isOwnerAccount(record: DelegationRequestRecord, principal: Principal): boolean {
  return record.ownerId !== undefined && principal.accountId === record.ownerAccountId;
}

/** OnlySendByOwner: the very identity that associated the request. */
export function isOwner(record: DelegationRequestRecord, principal: Principal): boolean {
  return record.ownerId === principal.arn;
}
