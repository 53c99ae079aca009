// A small XML writer: responses are built as strings, never as DOMs.

const NEEDS_ESCAPE = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const ESCAPED = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A raw carriage return would be read back as a line feed.
  '\r': '&#xD;',
};

/**
 * Escapes text for element content or attribute values. Characters XML 1.0 cannot carry
 * at all (most C0 controls) become U+FFFD, so the document always parses.
 */
export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(ESCAPED, (char) => ENTITIES[char] ?? '\ufffd');
}

export function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

export function textElement(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** ISO 8601 in UTC, as `2025-01-02T03:04:05Z`, or with `.123Z` when there are milliseconds. */
export function isoSeconds(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** ISO 8601 in UTC, always with milliseconds (`2025-01-02T03:04:05.000Z`), as EC2 sends it. */
export function isoMillis(date: Date): string {
  return date.toISOString();
}
