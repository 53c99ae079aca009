// A tiny HTTP server that speaks one codec, for tests with the real AWS SDK for JS v3:
// it resolves the operation, parses the input and serializes whatever the test's
// handler returns or throws, exactly as the codec would in Bulwark.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Input, ProtocolCodec } from '../../../src/protocol/codec.ts';
import { AwsError } from '../../../src/protocol/errors.ts';
import type { HttpRequest } from '../../../src/protocol/http.ts';
import type { ServiceModel } from '../../../src/protocol/model.ts';

export type TestHandler = (operation: string, input: Input) => unknown;

export interface CodecServer {
  endpoint: string;
  /** The operation and parsed input of every request, in order. */
  calls: { operation: string; input: Input }[];
  stop(): Promise<void>;
}

export async function startCodecServer(codec: ProtocolCodec, model: ServiceModel, handler: TestHandler): Promise<CodecServer> {
  const calls: CodecServer['calls'] = [];
  let counter = 0;
  const server: Server = createServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const [path, rawQuery = ''] = (incoming.url ?? '/').split(/\?(.*)/s);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming.headers)) headers[name] = Array.isArray(value) ? value.join(',') : String(value);
    const request: HttpRequest = { method: incoming.method ?? 'GET', path, rawQuery, headers, body: Buffer.concat(chunks) };
    const context = { requestId: `req-${++counter}` };
    let response;
    try {
      const operation = codec.operationOf(model, request);
      const input = codec.parse(model, operation, request);
      calls.push({ operation: operation.name, input });
      response = codec.serialize(model, operation, handler(operation.name, input) ?? {}, context);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      response = codec.serializeError(model, error, context);
    }
    outgoing.writeHead(response.status, response.headers);
    outgoing.end(response.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
