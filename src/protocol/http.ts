// The protocol layer's view of HTTP: a fully read request and a response to write.
// Keeping node:http out of the codecs makes them testable with plain values.

export interface HttpRequest {
  method: string;
  /** The path, percent-encoded as received, without the query string. */
  path: string;
  /** The raw query string (after '?', possibly empty), never decoded: SigV4 needs it as sent. */
  rawQuery: string;
  /** Header names in lower case; repeated headers joined with ','. */
  headers: Record<string, string>;
  body: Buffer;
  /** The client's address as the server saw it (aws:SourceIp). */
  remoteAddress?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}
