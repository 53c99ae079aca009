// Signing and server certificates at the handler level, with certificates made by
// openssl: real parsing, key pair checks, validity dates, quotas and life cycles.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { ACCOUNT, awsError, iam } from './context.ts';
import { selfSigned, type Certificate } from './keys.ts';

const DAY = 86_400_000;
let server: Certificate;
let other: Certificate;
let ec: Certificate;
let shortLived: Certificate;

before(() => {
  server = selfSigned('www.example.com');
  other = selfSigned('other.example.com');
  ec = selfSigned('ec.example.com', 365, 'ec');
  shortLived = selfSigned('short.example.com', 1);
});

describe('UploadSigningCertificate', () => {
  it('stores a certificate for the user, Active, with a 28-character id', async () => {
    const api = await iam(new Date());
    await api.user('alice');
    const { Certificate } = await api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: server.cert });
    assert.match(Certificate.CertificateId, /^[A-Z0-9]{28}$/);
    assert.equal(Certificate.Status, 'Active');
    assert.equal(Certificate.CertificateBody, server.cert);
    const { Certificates } = await api.call('ListSigningCertificates', { UserName: 'alice' });
    assert.deepEqual(Certificates.map((c) => c.CertificateId), [Certificate.CertificateId]);
  });

  it('a body that is not a certificate: MalformedCertificate', async () => {
    const api = await iam(new Date());
    await api.user('alice');
    for (const body of ['hello', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----']) {
      await assert.rejects(api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: body }), awsError('MalformedCertificateException'));
    }
  });

  it('a certificate past its validity: InvalidCertificate', async () => {
    const api = await iam(new Date(Date.now() + 3 * DAY));
    await api.user('alice');
    await assert.rejects(
      api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: shortLived.cert }),
      awsError('InvalidCertificateException'),
    );
  });

  it('the same certificate anywhere in the account: DuplicateCertificate', async () => {
    const api = await iam(new Date());
    await api.user('alice');
    await api.user('bob');
    await api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: server.cert });
    await assert.rejects(api.call('UploadSigningCertificate', { UserName: 'bob', CertificateBody: server.cert }), awsError('DuplicateCertificateException'));
  });

  it('at most two per user: LimitExceeded "Cannot exceed quota for SigningCertificatesPerUser: 2"', async () => {
    const api = await iam(new Date());
    await api.user('alice');
    await api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: server.cert });
    await api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: other.cert });
    await assert.rejects(
      api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: ec.cert }),
      awsError('LimitExceededException', 'Cannot exceed quota for SigningCertificatesPerUser: 2'),
    );
  });

  it('Update to Inactive, Delete, and DeleteUser waiting for it', async () => {
    const api = await iam(new Date());
    await api.user('alice');
    const { Certificate } = await api.call('UploadSigningCertificate', { UserName: 'alice', CertificateBody: server.cert });
    await api.call('UpdateSigningCertificate', { UserName: 'alice', CertificateId: Certificate.CertificateId, Status: 'Inactive' });
    assert.equal((await api.call('ListSigningCertificates', { UserName: 'alice' })).Certificates[0].Status, 'Inactive');
    await assert.rejects(
      api.call('DeleteUser', { UserName: 'alice' }),
      awsError('DeleteConflictException', 'Cannot delete entity, must delete certificates first.'),
    );
    await api.call('DeleteSigningCertificate', { UserName: 'alice', CertificateId: Certificate.CertificateId });
    await assert.rejects(
      api.call('DeleteSigningCertificate', { UserName: 'alice', CertificateId: Certificate.CertificateId }),
      awsError('NoSuchEntityException', `The Certificate with id ${Certificate.CertificateId} cannot be found.`),
    );
    await api.call('DeleteUser', { UserName: 'alice' });
  });
});

describe('UploadServerCertificate', () => {
  it('stores the certificate with its ARN, ASCA id and the certificate\'s own expiry', async () => {
    const api = await iam(new Date());
    const uploaded = await api.call('UploadServerCertificate', {
      ServerCertificateName: 'www',
      Path: '/cloudfront/',
      CertificateBody: server.cert,
      PrivateKey: server.key,
      CertificateChain: other.cert,
      Tags: [{ Key: 'env', Value: 'prod' }],
    });
    const metadata = uploaded.ServerCertificateMetadata!;
    assert.equal(metadata.Arn, `arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/www`);
    assert.match(metadata.ServerCertificateId, /^ASCA[A-Z2-7]{17}$/);
    assert.deepEqual(metadata.Expiration, new Date(new X509Certificate(server.cert).validTo));
    const { ServerCertificate } = await api.call('GetServerCertificate', { ServerCertificateName: 'www' });
    assert.equal(ServerCertificate.CertificateBody, server.cert);
    assert.equal(ServerCertificate.CertificateChain, other.cert);
    assert.deepEqual(ServerCertificate.Tags, [{ Key: 'env', Value: 'prod' }]);
  });

  it('accepts an EC key pair', async () => {
    const api = await iam(new Date());
    await api.call('UploadServerCertificate', { ServerCertificateName: 'ec', CertificateBody: ec.cert, PrivateKey: ec.key });
  });

  it('a private key that is not the certificate\'s: KeyPairMismatch', async () => {
    const api = await iam(new Date());
    await assert.rejects(
      api.call('UploadServerCertificate', { ServerCertificateName: 'www', CertificateBody: server.cert, PrivateKey: other.key }),
      awsError('KeyPairMismatchException'),
    );
  });

  it('a malformed body, key or chain: MalformedCertificate', async () => {
    const api = await iam(new Date());
    const cases = [
      { CertificateBody: 'garbage', PrivateKey: server.key },
      { CertificateBody: server.cert, PrivateKey: 'garbage' },
      { CertificateBody: server.cert, PrivateKey: server.key, CertificateChain: 'garbage' },
    ];
    for (const input of cases) {
      await assert.rejects(api.call('UploadServerCertificate', { ServerCertificateName: 'www', ...input }), awsError('MalformedCertificateException'));
    }
  });

  it('a name taken: EntityAlreadyExists; an unknown name: NoSuchEntity', async () => {
    const api = await iam(new Date());
    await api.call('UploadServerCertificate', { ServerCertificateName: 'www', CertificateBody: server.cert, PrivateKey: server.key });
    await assert.rejects(
      api.call('UploadServerCertificate', { ServerCertificateName: 'WWW', CertificateBody: server.cert, PrivateKey: server.key }),
      awsError('EntityAlreadyExistsException', 'The Server Certificate with name WWW already exists.'),
    );
    await assert.rejects(
      api.call('GetServerCertificate', { ServerCertificateName: 'nope' }),
      awsError('NoSuchEntityException', 'The Server Certificate with name nope cannot be found.'),
    );
  });
});

describe('UpdateServerCertificate, ListServerCertificates, tags, DeleteServerCertificate', () => {
  it('renames and moves a certificate; lists by PathPrefix; tags; deletes', async () => {
    const api = await iam(new Date());
    await api.call('UploadServerCertificate', { ServerCertificateName: 'www', CertificateBody: server.cert, PrivateKey: server.key });
    await api.call('UploadServerCertificate', { ServerCertificateName: 'other', CertificateBody: other.cert, PrivateKey: other.key });
    await assert.rejects(
      api.call('UpdateServerCertificate', { ServerCertificateName: 'www', NewServerCertificateName: 'other' }),
      awsError('EntityAlreadyExistsException'),
    );
    await api.call('UpdateServerCertificate', { ServerCertificateName: 'www', NewServerCertificateName: 'web', NewPath: '/cloudfront/' });
    const all = await api.call('ListServerCertificates', {});
    assert.deepEqual(all.ServerCertificateMetadataList.map((m) => m.ServerCertificateName).sort(), ['other', 'web']);
    const cloudfront = await api.call('ListServerCertificates', { PathPrefix: '/cloudfront/' });
    assert.deepEqual(cloudfront.ServerCertificateMetadataList.map((m) => m.Arn), [`arn:aws:iam::${ACCOUNT}:server-certificate/cloudfront/web`]);
    const paged = await api.call('ListServerCertificates', { MaxItems: 1 });
    assert.equal(paged.IsTruncated, true);

    await api.call('TagServerCertificate', { ServerCertificateName: 'web', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] });
    await api.call('UntagServerCertificate', { ServerCertificateName: 'web', TagKeys: ['A'] });
    assert.deepEqual((await api.call('ListServerCertificateTags', { ServerCertificateName: 'web' })).Tags, [{ Key: 'b', Value: '2' }]);

    await api.call('DeleteServerCertificate', { ServerCertificateName: 'web' });
    await assert.rejects(api.call('DeleteServerCertificate', { ServerCertificateName: 'web' }), awsError('NoSuchEntityException'));
  });
});
