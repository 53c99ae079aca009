// What every wire protocol provides. A codec is model-driven: it knows no service,
// only how a protocol maps a model's operations and shapes onto HTTP.
//
// Value conventions on both sides of a codec (parsed input, handler output):
//   structure -> plain object keyed by member name (absent members are absent)
//   list -> array; map -> plain object
//   string/enum -> string; integer/long/float/double -> number; boolean -> boolean
//   timestamp -> Date; blob -> Buffer (output also accepts Uint8Array)
import type { HttpRequest, HttpResponse } from './http.ts';
import type { OperationModel, ProtocolName, ServiceModel } from './model.ts';
import type { AwsError } from './errors.ts';

export type Input = Record<string, unknown>;

export interface ResponseContext {
  requestId: string;
}

export interface ProtocolCodec {
  readonly protocol: ProtocolName;
  /** The error code the model's service uses for validation failures (it varies on rest-json). */
  validationErrorCode(model: ServiceModel): string;
  /** The error code for an operation name the model does not have. */
  readonly unknownOperationCode: string;

  /** The operation the request calls. Throws AwsError when there is none such. */
  operationOf(model: ServiceModel, request: HttpRequest): OperationModel;
  /** The operation's input, typed by the model. Throws AwsError (400) on a malformed request. */
  parse(model: ServiceModel, operation: OperationModel, request: HttpRequest): Input;
  serialize(model: ServiceModel, operation: OperationModel, output: unknown, context: ResponseContext): HttpResponse;
  serializeError(model: ServiceModel, error: AwsError, context: ResponseContext): HttpResponse;
}
