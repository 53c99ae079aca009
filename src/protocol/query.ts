// The AWS query protocol (IAM, STS, and CloudWatch for clients that speak awsquery):
// form-encoded parameters in, XML out. Works from any model whatever its
// metadata.protocol says.
//   <CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
//     <CreateUserResult>...</CreateUserResult>
//     <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
//   </CreateUserResponse>
//   <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>..</Code><Message>..</Message></Error>
//     <RequestId>..</RequestId></ErrorResponse>
import type { Input, ProtocolCodec, ResponseContext } from './codec.ts';
import { AwsError } from './errors.ts';
import { requestParams, topLevelValue } from './form.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import type { OperationModel, ServiceModel } from './model.ts';
import { decodeInput, type QueryFlavor } from './query-input.ts';
import { encodeStructure, wireError } from './query-output.ts';
import { escapeXml, textElement } from './xml.ts';

/** Error members that are the message itself, not extra fields. */
export const MESSAGE_MEMBERS: ReadonlySet<string> = new Set(['message', 'Message']);

/** The operation an Action names; shared by query and ec2, which differ only in the messages. */
export function operationNamed(
  model: ServiceModel,
  request: HttpRequest,
  unknown: (action: string, version: string) => string,
): OperationModel {
  const params = requestParams(request);
  const action = topLevelValue(params, 'Action');
  if (action === undefined || action === '') {
    throw new AwsError('MissingAction', 'The request must contain the parameter Action.', { status: 400, senderFault: true });
  }
  if (!Object.hasOwn(model.operations, action)) {
    const version = topLevelValue(params, 'Version') ?? model.metadata.apiVersion;
    throw new AwsError('InvalidAction', unknown(action, version), { status: 400, senderFault: true });
  }
  return model.operations[action];
}

export function parseParams(model: ServiceModel, operation: OperationModel, request: HttpRequest, flavor: QueryFlavor): Input {
  const params = requestParams(request);
  if (!operation.input) return {};
  return decodeInput(model, flavor, operation.input.shape, params);
}

function namespaceOf(model: ServiceModel): string {
  const { xmlNamespace, endpointPrefix, apiVersion } = model.metadata;
  return xmlNamespace ?? `https://${endpointPrefix}.amazonaws.com/doc/${apiVersion}/`;
}

function xmlResponse(status: number, body: string, requestId: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export const queryCodec: ProtocolCodec = {
  protocol: 'query',
  validationErrorCode: () => 'ValidationError',
  unknownOperationCode: 'InvalidAction',

  operationOf(model, request) {
    return operationNamed(model, request, (action, version) => `Could not find operation ${action} for version ${version}`);
  },

  parse(model, operation, request) {
    return parseParams(model, operation, request, 'query');
  },

  serialize(model: ServiceModel, operation: OperationModel, output: unknown, context: ResponseContext): HttpResponse {
    const name = operation.name;
    let result = '';
    if (operation.output) {
      const members = encodeStructure(model, 'query', operation.output.shape, output);
      const wrapper = operation.output.resultWrapper;
      result = wrapper ? `<${wrapper}>${members}</${wrapper}>` : members;
    }
    const body =
      `<${name}Response xmlns="${escapeXml(namespaceOf(model))}">${result}` +
      `<ResponseMetadata>${textElement('RequestId', context.requestId)}</ResponseMetadata></${name}Response>`;
    return xmlResponse(operation.http.responseCode ?? 200, body, context.requestId);
  },

  serializeError(model, error, context) {
    const wire = wireError(model, error);
    const fields = wire.shapeName ? encodeStructure(model, 'query', wire.shapeName, error.fields, MESSAGE_MEMBERS) : '';
    const body =
      `<ErrorResponse xmlns="${escapeXml(namespaceOf(model))}"><Error>` +
      `<Type>${wire.senderFault ? 'Sender' : 'Receiver'}</Type>` +
      textElement('Code', wire.code) +
      textElement('Message', error.message) +
      fields +
      `</Error>${textElement('RequestId', context.requestId)}</ErrorResponse>`;
    return xmlResponse(wire.status, body, context.requestId);
  },
};
