// Timestamps on the wire. AWS models name three formats:
//   unixTimestamp  epoch seconds, fractional to the millisecond (JSON bodies by default)
//   iso8601        2015-03-04T05:06:07.123Z (query strings, XML)
//   rfc822         Wed, 04 Mar 2015 05:06:07 GMT (HTTP headers)
// Servers are lenient on input: a value in any of the three forms is a timestamp.
import type { TimestampFormat } from './model.ts';

/** Epoch seconds as AWS writes them: whole seconds without a fraction, else up to milliseconds. */
export function toEpochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** ISO 8601 in UTC, without milliseconds when there are none (as AWS writes it). */
export function toIso8601(date: Date): string {
  const text = date.toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/** The HTTP-date (IMF-fixdate) form used in headers. */
export function toRfc822(date: Date): string {
  return date.toUTCString();
}

export function formatTimestamp(date: Date, format: TimestampFormat): string | number {
  if (format === 'unixTimestamp') return toEpochSeconds(date);
  return format === 'iso8601' ? toIso8601(date) : toRfc822(date);
}

const EPOCH_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
// ISO 8601 date-time with an offset or Z; Date.parse alone would also take local times.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const RFC_822 = /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}(:\d{2})?\s+(GMT|UTC|Z|[+-]\d{4})$/;

/** A Date from epoch seconds; undefined when the number is not a usable time. */
export function fromEpochSeconds(seconds: number): Date | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const date = new Date(Math.round(seconds * 1000));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A Date from any of the three textual forms; undefined when the text is none of them. */
export function parseTimestampText(text: string): Date | undefined {
  const trimmed = text.trim();
  if (EPOCH_NUMBER.test(trimmed)) return fromEpochSeconds(Number(trimmed));
  if (!ISO_8601.test(trimmed) && !RFC_822.test(trimmed)) return undefined;
  const millis = Date.parse(trimmed);
  return Number.isNaN(millis) ? undefined : new Date(millis);
}
