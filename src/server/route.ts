// Which service a request is for, and in which wire protocol it speaks. AWS clients
// say it in several ways; we read them in order of reliability: the X-Amz-Target
// header (json), the smithy-protocol header (rpc-v2-cbor), the SigV4 credential scope's
// service name, and for unsigned query requests the API Version parameter.
import type { HttpRequest } from '../protocol/http.ts';
import { signingName, type ProtocolName, type ServiceModel } from '../protocol/model.ts';

export interface Route {
  model: ServiceModel;
  protocol: ProtocolName;
}

export class Router {
  readonly #bySigningName = new Map<string, ServiceModel>();
  readonly #byTargetPrefix = new Map<string, ServiceModel>();
  readonly #queryByVersion = new Map<string, ServiceModel>();

  constructor(models: Iterable<ServiceModel>) {
    for (const model of models) {
      this.#bySigningName.set(signingName(model), model);
      const prefix = model.metadata.targetPrefix;
      if (prefix) {
        this.#byTargetPrefix.set(prefix, model);
        // The JS SDK sends only the last part of dotted prefixes (CloudTrail_20131101.LookupEvents).
        this.#byTargetPrefix.set(prefix.slice(prefix.lastIndexOf('.') + 1), model);
      }
      if (speaks(model, 'query') || speaks(model, 'ec2')) this.#queryByVersion.set(model.metadata.apiVersion, model);
    }
  }

  /** The route, or undefined when nothing in the request names a service Bulwark has. */
  route(request: HttpRequest, scopeService: string | undefined): Route | undefined {
    const target = request.headers['x-amz-target'];
    if (target !== undefined) {
      const model = this.#byTargetPrefix.get(target.slice(0, target.lastIndexOf('.')));
      return model && { model, protocol: 'json' };
    }
    if (request.headers['smithy-protocol'] === 'rpc-v2-cbor') {
      const model = scopeService ? this.#bySigningName.get(scopeService) : this.#cborServiceOf(request.path);
      return model && speaks(model, 'smithy-rpc-v2-cbor') ? { model, protocol: 'smithy-rpc-v2-cbor' } : undefined;
    }
    const model = scopeService ? this.#bySigningName.get(scopeService) : this.#unsignedQueryModel(request);
    if (!model) return undefined;
    if (speaks(model, 'ec2')) return { model, protocol: 'ec2' };
    if (speaks(model, 'query') && (isFormEncoded(request) || /(^|&)Action=/.test(request.rawQuery))) {
      return { model, protocol: 'query' };
    }
    return { model, protocol: model.metadata.protocol };
  }

  #cborServiceOf(path: string): ServiceModel | undefined {
    const match = /^\/service\/([^/]+)\/operation\//.exec(path);
    return match ? this.#byTargetPrefix.get(match[1]) : undefined;
  }

  /** Unsigned query requests (e.g. sts:AssumeRoleWithWebIdentity) name their API version. */
  #unsignedQueryModel(request: HttpRequest): ServiceModel | undefined {
    const params = new URLSearchParams(isFormEncoded(request) ? request.body.toString('utf8') : request.rawQuery);
    const version = params.get('Version');
    return version ? this.#queryByVersion.get(version) : undefined;
  }
}

function speaks(model: ServiceModel, protocol: ProtocolName): boolean {
  return model.metadata.protocol === protocol || (model.metadata.protocols?.includes(protocol) ?? false);
}

function isFormEncoded(request: HttpRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}
