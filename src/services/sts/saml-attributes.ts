// The SAML attributes AWS reads, and those it maps to trust-policy context keys
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html).
// Attribute names are case-sensitive, as AWS documents.

const AWS_ATTRIBUTES = 'https://aws.amazon.com/SAML/Attributes/';

export const SAML_ATTRIBUTE = {
  role: `${AWS_ATTRIBUTES}Role`,
  roleSessionName: `${AWS_ATTRIBUTES}RoleSessionName`,
  sessionDuration: `${AWS_ATTRIBUTES}SessionDuration`,
  sourceIdentity: `${AWS_ATTRIBUTES}SourceIdentity`,
  /** `PrincipalTag:<key>`, one attribute per session tag. */
  principalTagPrefix: `${AWS_ATTRIBUTES}PrincipalTag:`,
  transitiveTagKeys: `${AWS_ATTRIBUTES}TransitiveTagKeys`,
} as const;

/** Whether a mapped key holds one string or a list (tested with ForAnyValue / ForAllValues). */
type Shape = 'string' | 'list';

/** Attribute Name -> [context key, shape]: eduPerson/eduOrg, Active Directory and X.500 attributes. */
export const CONTEXT_KEY_ATTRIBUTES: Readonly<Record<string, readonly [string, Shape]>> = {
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': ['saml:edupersonaffiliation', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.2': ['saml:edupersonnickname', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.3': ['saml:edupersonorgdn', 'string'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.4': ['saml:edupersonorgunitdn', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.5': ['saml:edupersonprimaryaffiliation', 'string'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': ['saml:edupersonprincipalname', 'string'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': ['saml:edupersonentitlement', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.8': ['saml:edupersonprimaryorgunitdn', 'string'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': ['saml:edupersonscopedaffiliation', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.10': ['saml:edupersontargetedid', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.11': ['saml:edupersonassurance', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.2': ['saml:eduorghomepageuri', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.3': ['saml:eduorgidentityauthnpolicyuri', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.4': ['saml:eduorglegalname', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.5': ['saml:eduorgsuperioruri', 'list'],
  'urn:oid:1.3.6.1.4.1.5923.1.2.1.6': ['saml:eduorgwhitepagesuri', 'list'],
  'urn:oid:2.5.4.3': ['saml:cn', 'list'],
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': ['saml:name', 'string'],
  'http://schemas.xmlsoap.org/claims/CommonName': ['saml:commonName', 'string'],
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': ['saml:givenName', 'string'],
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': ['saml:surname', 'string'],
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': ['saml:mail', 'string'],
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid': ['saml:uid', 'string'],
  '2.5.4.3': ['saml:commonName', 'string'],
  '2.5.4.4': ['saml:surname', 'string'],
  '2.4.5.42': ['saml:givenName', 'string'],
  '2.5.4.45': ['saml:x500UniqueIdentifier', 'string'],
  '0.9.2342.19200300100.1.1': ['saml:uid', 'string'],
  '0.9.2342.19200300100.1.3': ['saml:mail', 'string'],
  '0.9.2342.19200300.100.1.45': ['saml:organizationStatus', 'string'],
};

/** saml:* context keys from the assertion's attributes (one claim per key: the first wins, as AWS maps only one). */
export function attributeContextKeys(attributes: ReadonlyMap<string, string[]>): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {};
  for (const [name, values] of attributes) {
    const mapping = CONTEXT_KEY_ATTRIBUTES[name];
    if (!mapping || values.length === 0) continue;
    const [key, shape] = mapping;
    if (key in keys) continue;
    keys[key] = shape === 'list' ? [...values] : values[0]!;
  }
  return keys;
}
