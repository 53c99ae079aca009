// Encoded authorization messages: services that deny a request may return the
// details encoded (as EC2 does: "Encoded authorization failure message: ..."); only
// sts:DecodeAuthorizationMessage reads them back. Bulwark's encoding is base64url of
// an AES-256-GCM sealed JSON document, under a key kept in the store so every
// Bulwark node sharing the store can decode what any of them encoded.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { AuthorizationRequest, Decision } from '../../policy/index.ts';
import { AwsError } from '../../protocol/errors.ts';
import type {
  DecodeAuthorizationMessageRequest,
  DecodeAuthorizationMessageResponse,
} from '../../protocol/types/sts.ts';
import { contextMap } from '../../policy/index.ts';
import type { Documents } from '../../store/store.ts';
import type { RequestContext } from '../service.ts';

export const STS_SETTINGS = 'sts.settings';
const MESSAGE_KEY = 'authorization-message-key';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The decoded document, in the shape AWS's DecodeAuthorizationMessage returns. */
export interface AuthorizationMessage {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: { items: { statementId?: string; effect: string; policyType?: string }[] };
  failures: { items: unknown[] };
  context: {
    principal: { id: string; arn: string; name?: string };
    action: string;
    resource: string;
    conditions: { items: { key: string; values: { items: { value: string }[] } }[] };
  };
}

async function messageKey(docs: Documents): Promise<Buffer> {
  const existing = await docs.get<{ key: string }>(STS_SETTINGS, MESSAGE_KEY);
  if (existing) return Buffer.from(existing.key, 'base64');
  // First use: insert wins at most once, so concurrent nodes agree on one key.
  await docs.insert(STS_SETTINGS, MESSAGE_KEY, { key: randomBytes(32).toString('base64') });
  const stored = await docs.get<{ key: string }>(STS_SETTINGS, MESSAGE_KEY);
  return Buffer.from(stored!.key, 'base64');
}

export async function encodeAuthorizationMessage(docs: Documents, message: AuthorizationMessage): Promise<string> {
  const key = await messageKey(docs);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(VERSION));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(message), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export async function decodeAuthorizationMessage(docs: Documents, encoded: string): Promise<AuthorizationMessage> {
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES || bytes.toString('base64url') !== encoded.replace(/=+$/, '')) throw invalidMessage();
  try {
    const decipher = createDecipheriv('aes-256-gcm', await messageKey(docs), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(VERSION));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as AuthorizationMessage;
  } catch {
    throw invalidMessage();
  }
}

function invalidMessage(): AwsError {
  return new AwsError('InvalidAuthorizationMessageException', 'The encoded authorization message is invalid or was not issued by this service.');
}

/** The message describing one policy decision (for services that answer encoded denials). */
export function authorizationMessageFor(request: AuthorizationRequest, decision: Decision, principalId: string): AuthorizationMessage {
  const conditions = [...contextMap(request.context)].map(([key, values]) => ({
    key,
    values: { items: values.map((value) => ({ value })) },
  }));
  return {
    allowed: decision.decision === 'Allow',
    explicitDeny: decision.decision === 'ExplicitDeny',
    matchedStatements: {
      items: decision.matchedStatements.map((statement) => ({
        ...(statement.sid !== undefined ? { statementId: statement.sid } : {}),
        effect: statement.effect.toUpperCase(),
        policyType: statement.policyType,
      })),
    },
    failures: { items: [] },
    context: {
      principal: { id: principalId, arn: request.principal.arn },
      action: request.action,
      resource: request.resource,
      conditions: { items: conditions },
    },
  };
}

export async function decodeAuthorizationMessageHandler(
  input: DecodeAuthorizationMessageRequest,
  context: RequestContext,
): Promise<DecodeAuthorizationMessageResponse> {
  const message = await decodeAuthorizationMessage(context.store, input.EncodedMessage);
  return { DecodedMessage: JSON.stringify(message) };
}
