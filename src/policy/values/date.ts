// Dates for the Date* operators: ISO 8601 (W3C profiles: date, date-time with or
// without fraction and zone, basic form 20200101T000000Z) or epoch seconds.

const EPOCH = /^-?\d+(\.\d+)?$/;
const ISO_EXTENDED = /^(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})?$/;

/** Milliseconds since the epoch, or undefined when the text is not a date AWS accepts. */
export function parseDate(text: string): number | undefined {
  const value = text.trim();
  if (EPOCH.test(value)) return Number(value) * 1000;
  const m = ISO_EXTENDED.exec(value) ?? basicAsExtended(value);
  if (!m) return undefined;
  const [, year, month, day = '01', hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = m;
  const ms = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, Math.round(Number('0' + fraction) * 1000));
  const check = new Date(Date.UTC(+year, +month - 1, +day));
  if (check.getUTCMonth() !== +month - 1 || +hour > 24 || +minute > 59 || +second > 60) return undefined;
  return ms - zoneOffsetMs(zone);
}

function basicAsExtended(value: string): RegExpExecArray | null {
  const m = ISO_BASIC.exec(value);
  if (!m) return null;
  const extended = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? 'Z'}`;
  return ISO_EXTENDED.exec(extended);
}

function zoneOffsetMs(zone: string): number {
  if (zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}
