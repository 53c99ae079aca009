// The EC2 protocol (EC2 and VPC): query-style parameters in, with lists always
// `Name.N` and names from queryName / capitalized locationName; XML out without a result
// wrapper, the request id first, lists as <item> children:
//   <DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
//     <requestId>...</requestId><securityGroupInfo><item>...</item></securityGroupInfo>
//   </DescribeSecurityGroupsResponse>
//   <Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors><RequestID>..</RequestID></Response>
import type { ProtocolCodec } from './codec.ts';
import type { HttpResponse } from './http.ts';
import type { ServiceModel } from './model.ts';
import { encodeStructure, wireError } from './query-output.ts';
import { MESSAGE_MEMBERS, operationNamed, parseParams } from './query.ts';
import { escapeXml, textElement } from './xml.ts';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

function namespaceOf(model: ServiceModel): string {
  // The model's namespace lacks the trailing slash EC2 sends.
  return `http://ec2.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}

function xmlResponse(status: number, body: string, requestId: string): HttpResponse {
  return { status, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body };
}

export const ec2Codec: ProtocolCodec = {
  protocol: 'ec2',
  validationErrorCode: () => 'InvalidParameterValue',
  unknownOperationCode: 'InvalidAction',

  operationOf(model, request) {
    return operationNamed(model, request, (action) => `The action ${action} is not valid for this web service.`);
  },

  parse(model, operation, request) {
    return parseParams(model, operation, request, 'ec2');
  },

  serialize(model, operation, output, context) {
    const name = operation.name;
    const members = operation.output ? encodeStructure(model, 'ec2', operation.output.shape, output) : '';
    const body =
      `${XML_DECLARATION}<${name}Response xmlns="${escapeXml(namespaceOf(model))}">` +
      `${textElement('requestId', context.requestId)}${members}</${name}Response>`;
    return xmlResponse(operation.http.responseCode ?? 200, body, context.requestId);
  },

  serializeError(model, error, context) {
    const wire = wireError(model, error);
    const fields = wire.shapeName ? encodeStructure(model, 'ec2', wire.shapeName, error.fields, MESSAGE_MEMBERS) : '';
    const body =
      `${XML_DECLARATION}<Response><Errors><Error>` +
      textElement('Code', wire.code) +
      textElement('Message', error.message) +
      fields +
      `</Error></Errors>${textElement('RequestID', context.requestId)}</Response>`;
    return xmlResponse(wire.status, body, context.requestId);
  },
};
