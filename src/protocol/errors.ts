// AWS errors as Bulwark raises them. A service throws an AwsError naming either a
// modelled error shape (e.g. 'EntityAlreadyExistsException') or a common AWS error
// code (e.g. 'AccessDenied'); the protocol serializer turns it into the wire form the
// clients expect (query XML, JSON __type, x-amzn-query-error, ...).

export interface AwsErrorOptions {
  /** HTTP status; defaults to the modelled status, else 400. */
  status?: number;
  /** Whether the client is at fault (Sender) or the service (Receiver). */
  senderFault?: boolean;
  /** Extra modelled members of the error shape (e.g. CancellationReasons). */
  fields?: Record<string, unknown>;
}

export class AwsError extends Error {
  /** A modelled error shape name, or a common AWS error code. */
  readonly code: string;
  readonly status: number | undefined;
  readonly senderFault: boolean | undefined;
  readonly fields: Record<string, unknown>;

  constructor(code: string, message: string, options: AwsErrorOptions = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = options.status;
    this.senderFault = options.senderFault;
    this.fields = options.fields ?? {};
  }
}

/** Errors every AWS service can answer, with their HTTP status (AWS's common errors). */
export const COMMON_ERRORS: Record<string, { status: number; senderFault: boolean }> = {
  AccessDenied: { status: 403, senderFault: true },
  AccessDeniedException: { status: 403, senderFault: true },
  IncompleteSignature: { status: 400, senderFault: true },
  IncompleteSignatureException: { status: 400, senderFault: true },
  InternalFailure: { status: 500, senderFault: false },
  InternalError: { status: 500, senderFault: false },
  InvalidAction: { status: 400, senderFault: true },
  InvalidClientTokenId: { status: 403, senderFault: true },
  UnrecognizedClientException: { status: 400, senderFault: true },
  InvalidParameterCombination: { status: 400, senderFault: true },
  InvalidParameterValue: { status: 400, senderFault: true },
  InvalidQueryParameter: { status: 400, senderFault: true },
  MalformedQueryString: { status: 404, senderFault: true },
  MissingAction: { status: 400, senderFault: true },
  MissingAuthenticationToken: { status: 403, senderFault: true },
  MissingAuthenticationTokenException: { status: 403, senderFault: true },
  MissingParameter: { status: 400, senderFault: true },
  NotImplemented: { status: 501, senderFault: false },
  OptInRequired: { status: 403, senderFault: true },
  RequestExpired: { status: 400, senderFault: true },
  ServiceUnavailable: { status: 503, senderFault: false },
  ThrottlingException: { status: 400, senderFault: true },
  Throttling: { status: 400, senderFault: true },
  ValidationError: { status: 400, senderFault: true },
  ValidationException: { status: 400, senderFault: true },
  SignatureDoesNotMatch: { status: 403, senderFault: true },
  InvalidSignatureException: { status: 403, senderFault: true },
  ExpiredToken: { status: 400, senderFault: true },
  ExpiredTokenException: { status: 400, senderFault: true },
  UnknownOperationException: { status: 400, senderFault: true },
  SerializationException: { status: 400, senderFault: true },
  MalformedInput: { status: 400, senderFault: true },
};

/** The answer for an operation the model has but Bulwark does not implement yet. */
export function notImplemented(serviceId: string, operation: string): AwsError {
  return new AwsError(
    'NotImplemented',
    `${serviceId} ${operation} is not implemented in Bulwark yet.`,
    { status: 501, senderFault: false },
  );
}
