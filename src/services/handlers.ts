// Typed handler tables: a service declares `Handlers<Operations>` with the Operations
// map generated from its model, so input and output types come from the model.
import type { RequestContext } from './service.ts';

export type Handlers<Ops extends { [K in keyof Ops]: { input: unknown; output: unknown } }> = {
  [K in keyof Ops]?: (input: Ops[K]['input'], context: RequestContext) => Ops[K]['output'] | Promise<Ops[K]['output']>;
};
