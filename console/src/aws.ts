// The AWS API clients the console uses: the AWS SDK for JavaScript v3, pointed at the
// page's own origin (Bulwark), signing every call with the session's temporary
// credentials. Bulwark authorizes and records each call like any other client's.
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { createContext, useContext } from 'react';
import type { Session } from './session.ts';

export interface AwsClients {
  iam: IAMClient;
  sts: STSClient;
  cloudtrail: CloudTrailClient;
  kms: KMSClient;
  organizations: OrganizationsClient;
}

export function clientsFor(session: Session): AwsClients {
  const { accessKeyId, secretAccessKey, sessionToken } = session.credentials;
  const config = {
    endpoint: window.location.origin,
    region: session.region,
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    maxAttempts: 1,
  };
  return {
    iam: new IAMClient(config),
    sts: new STSClient(config),
    cloudtrail: new CloudTrailClient(config),
    kms: new KMSClient(config),
    organizations: new OrganizationsClient(config),
  };
}

export interface AwsContext {
  clients: AwsClients;
  session: Session;
}

export const Aws = createContext<AwsContext | undefined>(undefined);

/** The signed-in session's clients (only inside the signed-in layout). */
export function useAws(): AwsContext {
  const context = useContext(Aws);
  if (!context) throw new Error('useAws outside a signed-in page');
  return context;
}

/** Every item of every page a paginator yields. */
export async function collectPages<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** "AccessDenied: User: ... is not authorized ..." from an SDK error (or any error). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
