// The life cycle of a delegation request, as AWS's partner guide tables it
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/temporary-delegation-building-integration.html):
// which operation moves a request from which states to which, and how long a request
// may sit in each state before it expires.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { DelegationRequestRecord, DelegationRequestState } from '../records.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long a request may stay in a state with no action before it expires. */
export const STATE_LIFETIME_MS: Record<Exclude<DelegationRequestState, 'EXPIRED'>, number> = {
  UNASSIGNED: 1 * DAY_MS,
  ASSIGNED: 7 * DAY_MS,
  PENDING_APPROVAL: 7 * DAY_MS,
  ACCEPTED: 7 * DAY_MS,
  REJECTED: 7 * DAY_MS,
  FINALIZED: 7 * DAY_MS,
};

type TransitionOperation = Extract<
  keyof Operations,
  'AssociateDelegationRequest' | 'UpdateDelegationRequest' | 'AcceptDelegationRequest' | 'RejectDelegationRequest' | 'SendDelegationToken'
>;

interface Transition {
  from: readonly DelegationRequestState[];
  to: Exclude<DelegationRequestState, 'EXPIRED'>;
  /** For the error message: "cannot be <verb>". */
  verb: string;
}

export const TRANSITIONS: Record<TransitionOperation, Transition> = {
  // The customer claims the request for their account and identity.
  AssociateDelegationRequest: { from: ['UNASSIGNED'], to: 'ASSIGNED', verb: 'associated' },
  // The owner forwards it to an administrator (with notes); more notes keep it pending.
  UpdateDelegationRequest: { from: ['ASSIGNED', 'PENDING_APPROVAL'], to: 'PENDING_APPROVAL', verb: 'updated' },
  AcceptDelegationRequest: { from: ['ASSIGNED', 'PENDING_APPROVAL'], to: 'ACCEPTED', verb: 'accepted' },
  // An accepted request may still be rejected until its token is sent.
  RejectDelegationRequest: { from: ['ASSIGNED', 'PENDING_APPROVAL', 'ACCEPTED'], to: 'REJECTED', verb: 'rejected' },
  // Releasing the exchange token cannot be rolled back.
  SendDelegationToken: { from: ['ACCEPTED'], to: 'FINALIZED', verb: 'finalized' },
};

/** The state as of `now`: a request left too long in its state has expired. */
export function currentState(record: DelegationRequestRecord, now: Date): DelegationRequestState {
  if (record.state !== 'EXPIRED' && now.getTime() >= Date.parse(record.expirationTime)) return 'EXPIRED';
  return record.state;
}

/** The record moved into `state` at `now`: its expiry clock restarts. */
export function enterState(
  record: DelegationRequestRecord,
  state: Exclude<DelegationRequestState, 'EXPIRED'>,
  now: Date,
): DelegationRequestRecord {
  return {
    ...record,
    state,
    updatedTime: now.toISOString(),
    expirationTime: new Date(now.getTime() + STATE_LIFETIME_MS[state]).toISOString(),
  };
}
