// The codec for each wire protocol Bulwark speaks.
import type { ProtocolCodec } from './codec.ts';
import { rpcV2CborCodec } from './cbor.ts';
import { ec2Codec } from './ec2.ts';
import { jsonCodec } from './json.ts';
import type { ProtocolName } from './model.ts';
import { queryCodec } from './query.ts';
import { restJsonCodec } from './rest-json.ts';

const CODECS: Partial<Record<ProtocolName, ProtocolCodec>> = {
  query: queryCodec,
  ec2: ec2Codec,
  json: jsonCodec,
  'rest-json': restJsonCodec,
  'smithy-rpc-v2-cbor': rpcV2CborCodec,
};

export function codecFor(protocol: ProtocolName): ProtocolCodec {
  const codec = CODECS[protocol];
  // Every vendored model speaks one of the protocols above (a test checks it).
  if (!codec) throw new Error(`no codec for protocol ${protocol}`);
  return codec;
}
