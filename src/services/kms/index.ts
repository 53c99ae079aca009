// AWS Key Management Service: keys that really encrypt, sign and MAC (crypto/), key
// policies and grants enforced by the server's authorizer (access.ts), key states,
// rotation and deletion on Bulwark's clock. Custom key stores (CloudHSM, external)
// are not implemented: their operations answer 501 (README, "KMS").
import { AwsError } from '../../protocol/errors.ts';
import type { Handlers } from '../handlers.ts';
import type { OperationHandler, ServiceDefinition } from '../service.ts';
import { kmsAccess } from './access.ts';
import { KmsCryptoError } from './crypto/index.ts';
import { aliasHandlers } from './handlers/aliases.ts';
import { cryptographyHandlers } from './handlers/cryptography.ts';
import { grantHandlers } from './handlers/grants.ts';
import { importHandlers } from './handlers/import.ts';
import { keyHandlers } from './handlers/keys.ts';
import { multiRegionHandlers } from './handlers/multi-region.ts';
import { rotationHandlers } from './handlers/rotation.ts';
import { tagAndPolicyHandlers } from './handlers/tags-and-policies.ts';
import { configureAttestationRoots } from './recipient.ts';
import { flushKeyUses } from './usage.ts';
import type { Operations } from '../../protocol/types/kms.ts';

export const kmsHandlers: Handlers<Operations> = {
  ...keyHandlers,
  ...cryptographyHandlers,
  ...aliasHandlers,
  ...tagAndPolicyHandlers,
  ...rotationHandlers,
  ...grantHandlers,
  ...importHandlers,
  ...multiRegionHandlers,
};

/** The crypto core throws KmsCryptoError; the wire wants the AWS error it names. */
function answeringCryptoErrors(handler: OperationHandler): OperationHandler {
  return async (input, context) => {
    try {
      return await handler(input, context);
    } catch (error) {
      if (error instanceof KmsCryptoError) throw new AwsError(error.kmsCode, error.message);
      throw error;
    }
  };
}

export const kms: ServiceDefinition = {
  model: 'kms',
  handlers: Object.fromEntries(
    Object.entries(kmsHandlers).map(([operation, handler]) => [operation, answeringCryptoErrors(handler as OperationHandler)]),
  ),
  access: kmsAccess,
  start: (runtime) => configureAttestationRoots(runtime.store, runtime.kmsAttestationRoots),
  // Key uses still in memory are written before the store closes.
  stop: flushKeyUses,
};
