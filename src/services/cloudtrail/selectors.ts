// Which events a trail delivers: its basic event selectors (management events, read,
// write or all, minus excluded sources) or its advanced ones (field conditions). No
// custom selectors means every management event.
import type { CloudTrailRecord } from './record.ts';
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '../../protocol/types/cloudtrail.ts';

export function trailSelects(
  selectors: { eventSelectors?: EventSelector[]; advancedEventSelectors?: AdvancedEventSelector[] },
  record: CloudTrailRecord,
): boolean {
  if (selectors.advancedEventSelectors) return selectors.advancedEventSelectors.some((s) => advancedSelects(s, record));
  if (selectors.eventSelectors) return selectors.eventSelectors.some((s) => basicSelects(s, record));
  return true;
}

function basicSelects(selector: EventSelector, record: CloudTrailRecord): boolean {
  if (selector.IncludeManagementEvents === false) return false;
  if (selector.ExcludeManagementEventSources?.includes(record.eventSource)) return false;
  switch (selector.ReadWriteType ?? 'All') {
    case 'ReadOnly':
      return record.readOnly;
    case 'WriteOnly':
      return !record.readOnly;
    default:
      return true;
  }
}

function advancedSelects(selector: AdvancedEventSelector, record: CloudTrailRecord): boolean {
  return selector.FieldSelectors.every((field) => fieldMatches(field, valuesOf(field.Field, record)));
}

/** A field's values in a record (resources.* fields have one per resource). */
function valuesOf(field: string, record: CloudTrailRecord): string[] {
  switch (field) {
    case 'resources.type':
      return (record.resources ?? []).map((r) => r.type ?? '');
    case 'resources.ARN':
      return (record.resources ?? []).map((r) => r.ARN);
    case 'userIdentity.arn':
      return [record.userIdentity.arn ?? ''];
    default: {
      const value = (record as unknown as Record<string, unknown>)[field];
      return [value === undefined ? '' : String(value)];
    }
  }
}

/** Every condition of the field selector holds (for a multi-valued field, for some value). */
function fieldMatches(field: AdvancedFieldSelector, values: string[]): boolean {
  return values.some(
    (value) =>
      (!field.Equals || field.Equals.includes(value)) &&
      (!field.StartsWith || field.StartsWith.some((p) => value.startsWith(p))) &&
      (!field.EndsWith || field.EndsWith.some((s) => value.endsWith(s))) &&
      (!field.NotEquals || !field.NotEquals.includes(value)) &&
      (!field.NotStartsWith || !field.NotStartsWith.some((p) => value.startsWith(p))) &&
      (!field.NotEndsWith || !field.NotEndsWith.some((s) => value.endsWith(s))),
  );
}
