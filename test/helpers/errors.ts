// Assertions on the errors real AWS clients raise for Bulwark's answers.
import assert from 'node:assert/strict';
import { IAMServiceException } from '@aws-sdk/client-iam';

/** Resolves to the service exception the promise rejects with (fails if it resolves). */
export async function failure<E extends Error = IAMServiceException>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E = IAMServiceException as unknown as new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected a ${type.name}, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

/** The exception's name (the SDK's class), HTTP status and, when given, exact message. */
export function assertError(
  error: { name: string; message: string; $metadata: { httpStatusCode?: number } },
  name: string,
  status: number,
  message?: string,
): void {
  assert.equal(error.name, name);
  assert.equal(error.$metadata.httpStatusCode, status);
  if (message !== undefined) assert.equal(error.message, message);
}

/** For assert.rejects: the SDK's exception is this one (by name), with this HTTP status when given. */
export function rejectsWith(name: string, status?: number) {
  return (error: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name, `${error.name}: ${error.message}`);
    if (status !== undefined) assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  };
}
