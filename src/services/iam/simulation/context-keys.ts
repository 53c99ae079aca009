// GetContextKeysForPrincipalPolicy / GetContextKeysForCustomPolicy: every context key
// the policies read - condition keys and policy variables (`${aws:username}`) - each
// once (keys are case-insensitive), in the order they first appear.
import { parsePolicy } from '../../../policy/index.ts';
import { parseTemplate } from '../../../policy/variables.ts';
import { invalidInput } from '../common.ts';

function variablesIn(value: string): string[] {
  return (parseTemplate(value) ?? []).flatMap((part) => ('key' in part ? [part.key] : []));
}

export function contextKeysOf(documents: readonly string[]): string[] {
  const keys = new Map<string, string>();
  const add = (key: string) => {
    if (!keys.has(key.toLowerCase())) keys.set(key.toLowerCase(), key);
  };
  for (const document of documents) {
    let statements;
    try {
      statements = parsePolicy(document).statements;
    } catch (error) {
      throw invalidInput(`Policy document is not valid: ${(error as Error).message}`);
    }
    for (const statement of statements) {
      for (const resource of statement.resource?.values ?? []) variablesIn(resource).forEach(add);
      for (const clause of statement.conditions) {
        add(clause.key);
        for (const value of clause.values) variablesIn(value).forEach(add);
      }
    }
  }
  return [...keys.values()];
}
