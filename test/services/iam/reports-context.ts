// Calls the IAM handlers of the providers, reports and simulation areas directly (with
// the identity and policy areas' handlers, to set up users, groups, roles and
// policies), on a memory store with a test clock. The caller is the account's root.
import assert from 'node:assert/strict';
import { Clock } from '../../../src/lib/clock.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { Operations } from '../../../src/protocol/types/iam.ts';
import type { Handlers } from '../../../src/services/handlers.ts';
import { identityHandlers } from '../../../src/services/iam/identities.ts';
import { policyHandlers } from '../../../src/services/iam/policies.ts';
import { providerHandlers } from '../../../src/services/iam/providers.ts';
import { reportHandlers } from '../../../src/services/iam/reports.ts';
import { simulationHandlers } from '../../../src/services/iam/simulation.ts';
import type { RequestContext } from '../../../src/services/service.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

export const ACCOUNT = '123456789012';
export const OTHER_ACCOUNT = '210987654321';

const ALL: Handlers<Operations> = { ...identityHandlers, ...policyHandlers, ...providerHandlers, ...reportHandlers, ...simulationHandlers };

export interface Iam {
  store: Store;
  now(): Date;
  call<K extends keyof Operations>(operation: K, input: Operations[K]['input'], accountId?: string): Promise<Operations[K]['output']>;
  advance(ms: number): void;
}

export async function iam(): Promise<Iam> {
  const store = await openStore('memory:');
  let now = new Date('2024-05-01T12:00:00.000Z');
  return {
    store,
    now: () => now,
    async call(operation, input, accountId = ACCOUNT) {
      const handler = ALL[operation];
      assert.ok(handler, `no handler for ${operation}`);
      const context = {
        requestId: 'test-request',
        principal: { arn: `arn:aws:iam::${accountId}:root`, accountId, userId: accountId },
        accessKeyId: undefined,
        region: 'us-east-1',
        now,
        clock: new Clock(),
        store,
        defaultAccountId: ACCOUNT,
      } as unknown as RequestContext;
      return handler(input, context);
    },
    advance(ms) {
      now = new Date(now.getTime() + ms);
    },
  };
}

/** For assert.rejects: the AwsError with this code and, when given, this exact message. */
export function awsError(code: string, message?: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof AwsError, `expected an AwsError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  };
}

export function policy(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

/** A self-signed certificate (CN=idp.example.com), base64 DER, for SAML metadata. */
export const IDP_CERTIFICATE = 'MIICEjCCAXugAwIBAgIULcHa5rvgsrUYWRUIhBVO4HBPbK4wDQYJKoZIhvcNAQELBQAwGjEYMBYGA1UEAwwPaWRwLmV4YW1wbGUuY29tMCAXDTI2MTEyMzAxMzMyMFoYDzIxMjYxMDMwMDEzMzIwWjAaMRgwFgYDVQQDDA9pZHAuZXhhbXBsZS5jb20wgZ8wDQYJKoZIhvcNAQEBBQADgY0AMIGJAoGBALIMjadQ5kGo1SrnYikqcan75b9Gnuiszio7xYetxFW9eHzVYBL60x5RtWgThbn54vaA5aoq4HnAYSYAgAR1I47ApAm2hvHSNsORmjOulcmsrFR3JngoSK4XNiHkDg/ORl/U/uIiKT9AXgQRG5Yti6E8GpRRyO4LKlhrRGs4e4D7AgMBAAGjUzBRMB0GA1UdDgQWBBTQflvaWC2QN6Mja40hwv/4UmZghjAfBgNVHSMEGDAWgBTQflvaWC2QN6Mja40hwv/4UmZghjAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4GBAFS6R0evHalC2ZuGS28sq0/DH4jez/4bpGIZ+CLsSu+DcrdP3/HJqH+Y/xRuilcSlaBzbI2MdVK614G1odTzxzKDKz19CncS1n7HgIJd/bJmcwkfhqhS9UYOxfSRpkaYs9Nal+UTCIdxwf53cJiZUWZIj1JL6NaqMdENNu/l1PqD';

/** IdP metadata as an IdP publishes it (over 1,000 characters, as IAM requires). */
export function samlMetadata(options: { certificate?: string; validUntil?: string; idp?: boolean } = {}): string {
  const certificate = options.certificate ?? IDP_CERTIFICATE;
  const validUntil = options.validUntil ? ` validUntil="${options.validUntil}"` : '';
  const descriptor = options.idp === false ? 'SPSSODescriptor' : 'IDPSSODescriptor';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- metadata of a test identity provider -->
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/saml"${validUntil}>
  <md:${descriptor} WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>${certificate}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/saml/sso"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/saml/sso"/>
  </md:${descriptor}>
</md:EntityDescriptor>`;
}
