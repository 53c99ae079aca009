// The providers, reports and simulation tests' helpers, on the shared IAM test harness.
export { ACCOUNT, awsError, iam, OTHER_ACCOUNT, type Iam } from './harness.ts';

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
