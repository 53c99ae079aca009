// AWS model `pattern`s are java.util.regex patterns, and AWS checks them as a
// full-string match (Matcher.matches()). This translates one into an equivalent
// JavaScript RegExp (unicodeSets mode, `v`), compiled once per pattern string.
//
// Where Java and JavaScript differ, the translation follows Java:
//   \s \S \v \h \R   Java's ASCII definitions, not JavaScript's Unicode ones
//   .                excludes Java's line terminators (\n \r \u0085 \u2028 \u2029)
//   $                end of input, or before a final line terminator
//   \uXXXX           exactly four hex digits; an escaped surrogate pair is one code
//                    point (so `\u10000` is U+1000 followed by '0', as in Java)
//   [a-z&&[^e]]      intersections and nested classes
//   X*+  (?>X)       possessive quantifiers and atomic groups, through the
//                    lookahead-and-backreference idiom
//   \Q...\E  (?i)    quoting and inline flags
//   \p{Alpha} ...    POSIX classes are ASCII-only, as in Java by default
// Approximations (none of them occur in the vendored models' patterns in a way that
// changes a result): \b uses JavaScript's ASCII word characters (Java's is Unicode);
// a backreference to a group that did not take part in the match matches the empty
// string (Java fails); (?i) folds case by Unicode rules (Java: ASCII unless (?u)).

export class JavaPatternError extends Error {
  constructor(pattern: string, reason: string) {
    super(`cannot translate Java pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'JavaPatternError';
  }
}

const compiled = new Map<string, RegExp>();

/** A RegExp that tests whether a whole string matches the Java pattern. Cached per pattern. */
export function compileJavaPattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${translateJavaPattern(pattern)})$`, 'v');
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Whether `value` matches the whole Java pattern (as AWS's Matcher.matches() does). */
export function matchesJavaPattern(pattern: string, value: string): boolean {
  return compileJavaPattern(pattern).test(value);
}

/** The JavaScript (`v` flag) source of a Java pattern, unanchored. */
export function translateJavaPattern(pattern: string): string {
  return new Translator(pattern).translate();
}

/** Adds "(?on-off)" modifiers to those in force, as a JS modifier string ("i", "i-s"). */
function combineFlags(current: string, change: string): string {
  const [currentOn = '', currentOff = ''] = current.split('-');
  const [on = '', off = ''] = change.split('-');
  const enabled = new Set([...currentOn].filter((f) => !off.includes(f)).concat([...on]));
  const disabled = new Set([...currentOff].filter((f) => !on.includes(f)).concat([...off]));
  const onText = [...enabled].sort().join('');
  const offText = [...disabled].sort().join('');
  return offText ? `${onText}-${offText}` : onText;
}

// --- sets of characters, in the form they take inside a `v`-mode class ---------------

const JAVA_SPACE = '\\t\\n\\x0B\\f\\r ';
const LINE_TERMINATORS = '\\n\\r\\u{85}\\u{2028}\\u{2029}';
const HORIZONTAL_SPACE = ' \\t\\u{A0}\\u{1680}\\u{180E}\\u{2000}-\\u{200A}\\u{202F}\\u{205F}\\u{3000}';
const VERTICAL_SPACE = '\\n\\x0B\\f\\r\\u{85}\\u{2028}\\u{2029}';

/** Java's predefined classes, as nested `v`-mode classes (usable inside or outside a class). */
const PREDEFINED: Record<string, string> = {
  d: '\\d', D: '\\D', w: '\\w', W: '\\W',
  s: `[${JAVA_SPACE}]`, S: `[^${JAVA_SPACE}]`,
  h: `[${HORIZONTAL_SPACE}]`, H: `[^${HORIZONTAL_SPACE}]`,
  v: `[${VERTICAL_SPACE}]`, V: `[^${VERTICAL_SPACE}]`,
};

/** java.util.regex POSIX classes (US-ASCII only unless UNICODE_CHARACTER_CLASS). */
const POSIX: Record<string, string> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7F', Alpha: 'a-zA-Z', Digit: '0-9',
  Alnum: 'a-zA-Z0-9', Punct: '!-\\/:-@\\[-`\\{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F', XDigit: '0-9a-fA-F', Space: JAVA_SPACE,
};

/** java.lang.Character-based classes, mapped to the closest Unicode property. */
const JAVA_CHARACTER: Record<string, string> = {
  javaLowerCase: '\\p{Lowercase}', javaUpperCase: '\\p{Uppercase}', javaWhitespace: '\\p{White_Space}',
  javaMirrored: '\\p{Bidi_Mirrored}', javaLetter: '\\p{L}', javaDigit: '\\p{Nd}',
  javaLetterOrDigit: '[\\p{L}\\p{Nd}]', javaAlphabetic: '\\p{Alphabetic}',
};

const BINARY_PROPERTIES: Record<string, string> = {
  alphabetic: 'Alphabetic', ideographic: 'Ideographic', letter: 'L', lowercase: 'Lowercase',
  uppercase: 'Uppercase', titlecase: 'Lt', punctuation: 'P', control: 'Cc', white_space: 'White_Space',
  whitespace: 'White_Space', digit: 'Nd', hex_digit: 'Hex_Digit', hexdigit: 'Hex_Digit',
  noncharacter_code_point: 'Noncharacter_Code_Point', assigned: 'Assigned', emoji: 'Emoji',
};

const GENERAL_CATEGORIES = new Set([
  'L', 'LC', 'Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'M', 'Mn', 'Mc', 'Me', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'S', 'Sm', 'Sc', 'Sk', 'So',
  'Z', 'Zs', 'Zl', 'Zp', 'C', 'Cc', 'Cf', 'Co', 'Cs', 'Cn',
]);

/** One code point as an escape that is valid anywhere in a `v`-mode pattern. */
function literal(codePoint: number): string {
  const c = String.fromCodePoint(codePoint);
  return /[A-Za-z0-9_]/.test(c) ? c : `\\u{${codePoint.toString(16).toUpperCase()}}`;
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /[0-9a-fA-F]/.test(c);
}

type ClassItem = string; // a `v`-mode class operand: a literal, a range, or a nested class

/** A recursive-descent translator; one instance per pattern. */
class Translator {
  private readonly src: string;
  private pos = 0;
  /** Java capturing groups opened so far (Java numbers them in order of their '('). */
  private groupCount = 0;
  private readonly groupNames: string[] = [];
  private helperCount = 0;
  /** The inline flags in force at the current position (for '.', which we translate ourselves). */
  private active = '';

  constructor(pattern: string) {
    this.src = pattern;
  }

  translate(): string {
    const out = this.alternation(false);
    if (this.pos < this.src.length) this.fail(`unexpected '${this.src[this.pos]}'`);
    return out;
  }

  private fail(reason: string): never {
    throw new JavaPatternError(this.src, `${reason} at offset ${this.pos}`);
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  /**
   * Alternatives separated by '|', up to ')' or the end. An inline "(?i)" applies to
   * the rest of its alternative and to the alternatives after it, so each of those
   * is scoped as "(?i:...)".
   */
  private alternation(inGroup: boolean): string {
    const inherited = this.active;
    const alternatives: string[] = [];
    let flags = '';
    while (true) {
      this.active = combineFlags(inherited, flags);
      const alternative = this.sequence(inGroup, flags);
      alternatives.push(alternative.text);
      flags = alternative.flags;
      if (this.peek() !== '|') break;
      this.pos++;
    }
    this.active = inherited;
    return alternatives.join('|');
  }

  /** One alternative; `flags` are the inline flags in force when it starts. */
  private sequence(inGroup: boolean, flags: string): { text: string; flags: string } {
    let out = '';
    let scoped = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '|') break;
      if (c === ')') {
        if (!inGroup) this.fail("unmatched ')'");
        break;
      }
      const set = this.inlineFlags();
      if (set !== undefined) {
        if (scoped) out += this.scope(flags, scoped);
        scoped = '';
        flags = combineFlags(flags, set);
        this.active = combineFlags(this.active, set);
        continue;
      }
      const atom = this.atom();
      if (atom === undefined) continue; // an empty \Q\E
      scoped += this.quantified(atom);
    }
    return { text: out + this.scope(flags, scoped), flags };
  }

  private scope(flags: string, text: string): string {
    return flags && text ? `(?${flags}:${text})` : text;
  }

  /** Parses "(?flags)" (not "(?flags:"), returning the JS modifier flags, or undefined. */
  private inlineFlags(): string | undefined {
    const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?\)/.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    return this.modifiers(m[1] ?? '', m[2] ?? '');
  }

  private modifiers(on: string, off: string): string {
    const supported = (flags: string) => {
      let js = '';
      for (const f of flags) {
        if (f === 'i' || f === 's' || f === 'm') js += f;
        else if (f === 'u' || f === 'U' || f === 'd') continue; // no effect on the translation
        else this.fail(`unsupported inline flag '${f}'`);
      }
      return js;
    };
    const enable = supported(on);
    const disable = supported(off);
    return disable ? `${enable}-${disable}` : enable;
  }

  private quantified(atom: string): string {
    const m = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(this.src.slice(this.pos));
    if (!m) return atom;
    this.pos += m[0].length;
    const quantifier = m[0];
    if (this.peek() === '?') {
      this.pos++;
      return `${atom}${quantifier}?`;
    }
    if (this.peek() === '+') {
      this.pos++;
      return this.atomic(`${atom}${quantifier}`);
    }
    return `${atom}${quantifier}`;
  }

  /** Matches `inner` without backtracking into it (possessive / atomic). */
  private atomic(inner: string): string {
    const name = `atomic${++this.helperCount}`;
    return `(?=(?<${name}>${inner}))\\k<${name}>`;
  }

  /** One atom, already translated; undefined when it matches nothing (empty quote). */
  private atom(): string | undefined {
    const c = this.src[this.pos];
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.characterClass();
      case '\\':
        return this.escape();
      case '.':
        this.pos++;
        return this.active.split('-')[0].includes('s') ? '[\\u{0}-\\u{10FFFF}]' : `[^${LINE_TERMINATORS}]`;
      case '^':
        this.pos++;
        return '^';
      case '$':
        this.pos++;
        return `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?$)`;
      case '*': case '+': case '?':
        return this.fail(`dangling quantifier '${c}'`);
      case '{':
        if (/^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos))) this.fail('dangling quantifier');
        this.pos++;
        return literal(0x7b);
      default: {
        const codePoint = this.src.codePointAt(this.pos)!;
        this.pos += codePoint > 0xffff ? 2 : 1;
        return literal(codePoint);
      }
    }
  }

  private group(): string {
    const rest = this.src.slice(this.pos);
    const outer = this.active;
    let open: string;
    let atomicGroup = false;
    let m: RegExpExecArray | null;
    if (rest.startsWith('(?:') || rest.startsWith('(?=') || rest.startsWith('(?!')) {
      open = rest.slice(0, 3);
      this.pos += 3;
    } else if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      open = rest.slice(0, 4);
      this.pos += 4;
    } else if (rest.startsWith('(?>')) {
      atomicGroup = true;
      open = '(?:';
      this.pos += 3;
    } else if ((m = /^\(\?<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest))) {
      this.groupNames[++this.groupCount] = m[1];
      open = `(?<${m[1]}>`;
      this.pos += m[0].length;
    } else if ((m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?:/.exec(rest))) {
      const modifiers = this.modifiers(m[1] ?? '', m[2] ?? '');
      open = modifiers && modifiers !== '-' ? `(?${modifiers}:` : '(?:';
      this.active = combineFlags(outer, modifiers);
      this.pos += m[0].length;
    } else if (rest.startsWith('(?')) {
      return this.fail('unsupported group construct');
    } else {
      // A plain capturing group: named, so that backreferences survive the helper
      // groups this translation adds.
      const name = `g${++this.groupCount}`;
      this.groupNames[this.groupCount] = name;
      open = `(?<${name}>`;
      this.pos += 1;
    }
    const body = this.alternation(true);
    this.active = outer;
    if (this.peek() !== ')') this.fail('unclosed group');
    this.pos++;
    const group = `${open}${body})`;
    return atomicGroup ? this.atomic(group) : group;
  }

  // --- escapes -----------------------------------------------------------------------

  /** An escape outside a character class. */
  private escape(): string | undefined {
    const next = this.peek(1);
    if (next === undefined) this.fail('trailing backslash');
    switch (next) {
      case 'Q': return this.quoted();
      case 'A': this.pos += 2; return '^';
      case 'z': this.pos += 2; return '$';
      case 'Z': this.pos += 2; return `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?$)`;
      case 'b': case 'B': this.pos += 2; return `\\${next}`;
      case 'G': this.pos += 2; return '^'; // only meaningful at the start of a match
      case 'R': this.pos += 2; return `(?:\\r\\n|[\\n\\x0B\\f\\r\\u{85}\\u{2028}\\u{2029}])`;
      case 'k': return this.namedBackreference();
      default:
        if (next >= '1' && next <= '9') return this.backreference();
        return this.classEscape();
    }
  }

  private quoted(): string | undefined {
    this.pos += 2;
    const end = this.src.indexOf('\\E', this.pos);
    const text = end < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, end);
    this.pos = end < 0 ? this.src.length : end + 2;
    if (!text) return undefined;
    const escaped = [...text].map((c) => literal(c.codePointAt(0)!)).join('');
    return [...text].length === 1 ? escaped : `(?:${escaped})`;
  }

  private namedBackreference(): string {
    const m = /^\\k<([a-zA-Z][a-zA-Z0-9]*)>/.exec(this.src.slice(this.pos));
    if (!m) this.fail('malformed \\k backreference');
    this.pos += m[0].length;
    return `\\k<${m[1]}>`;
  }

  /** Java takes as many digits as name an existing group, then literal digits follow. */
  private backreference(): string {
    this.pos++;
    let number = Number(this.src[this.pos++]);
    while (this.pos < this.src.length && /[0-9]/.test(this.src[this.pos])) {
      const longer = number * 10 + Number(this.src[this.pos]);
      if (longer > this.groupCount) break;
      number = longer;
      this.pos++;
    }
    const name = this.groupNames[number];
    if (!name) this.fail(`backreference to group ${number}, which does not exist yet`);
    return `\\k<${name}>`;
  }

  /**
   * An escape that stands for a character or a set of characters; usable both inside
   * and outside a class. Returns a `v`-mode class operand.
   */
  private classEscape(): string {
    const next = this.peek(1)!;
    if (PREDEFINED[next]) {
      this.pos += 2;
      return PREDEFINED[next];
    }
    if (next === 'p' || next === 'P') return this.property(next === 'P');
    return literal(this.escapedCodePoint());
  }

  /** The code point of an escape that names a single character. */
  private escapedCodePoint(): number {
    const next = this.peek(1)!;
    const simple: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, a: 7, e: 27 };
    if (simple[next] !== undefined) {
      this.pos += 2;
      return simple[next];
    }
    if (next === 'u') return this.unicodeEscape();
    if (next === 'x') return this.hexEscape();
    if (next === '0') return this.octalEscape();
    if (next === 'c') {
      const control = this.peek(2);
      if (control === undefined) this.fail('malformed \\c escape');
      this.pos += 3;
      return control.charCodeAt(0) ^ 64;
    }
    if (/[a-zA-Z0-9]/.test(next)) this.fail(`unsupported escape \\${next}`);
    const codePoint = this.src.codePointAt(this.pos + 1)!;
    this.pos += codePoint > 0xffff ? 3 : 2;
    return codePoint;
  }

  /** \uXXXX: exactly four hex digits; a high surrogate escape followed by a low one pairs up. */
  private unicodeEscape(): number {
    const read = () => {
      const hex = this.src.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('malformed \\u escape');
      this.pos += 6;
      return parseInt(hex, 16);
    };
    const unit = read();
    if (unit >= 0xd800 && unit <= 0xdbff && this.src.startsWith('\\u', this.pos)) {
      const save = this.pos;
      const low = read();
      if (low >= 0xdc00 && low <= 0xdfff) return (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
      this.pos = save;
    }
    return unit;
  }

  private hexEscape(): number {
    if (this.peek(2) === '{') {
      const end = this.src.indexOf('}', this.pos);
      const hex = end < 0 ? '' : this.src.slice(this.pos + 3, end);
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) this.fail('malformed \\x{...} escape');
      this.pos = end + 1;
      return parseInt(hex, 16);
    }
    if (!isHex(this.peek(2)) || !isHex(this.peek(3))) this.fail('malformed \\x escape');
    const value = parseInt(this.src.slice(this.pos + 2, this.pos + 4), 16);
    this.pos += 4;
    return value;
  }

  /** \0n, \0nn, \0mnn (m <= 3). */
  private octalEscape(): number {
    const m = /^\\0([0-3][0-7]{2}|[0-7]{1,2})/.exec(this.src.slice(this.pos));
    if (!m) this.fail('malformed octal escape');
    this.pos += m[0].length;
    return parseInt(m[1], 8);
  }

  /** \p{Name}, \pL, \P{Name}. */
  private property(negated: boolean): string {
    let name: string;
    if (this.peek(2) === '{') {
      const end = this.src.indexOf('}', this.pos);
      if (end < 0) this.fail('unclosed \\p{');
      name = this.src.slice(this.pos + 3, end);
      this.pos = end + 1;
    } else {
      name = this.peek(2) ?? this.fail('malformed \\p escape');
      this.pos += 3;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const positive = this.propertyClass(name);
    if (!negated) return positive;
    return positive.startsWith('\\p{') ? `\\P${positive.slice(2)}` : `[^${positive}]`;
  }

  /** A positive `v`-mode operand for a Java property name. */
  private propertyClass(name: string): string {
    if (POSIX[name]) return `[${POSIX[name]}]`;
    if (JAVA_CHARACTER[name]) return JAVA_CHARACTER[name];
    const [key, value] = name.includes('=') ? name.split('=', 2) : [undefined, name];
    if (key !== undefined) {
      const k = key.toLowerCase();
      if (k === 'general_category' || k === 'gc') return this.category(value);
      if (k === 'script' || k === 'sc') return `\\p{Script=${value}}`;
      this.fail(`unsupported property ${name}`);
    }
    if (GENERAL_CATEGORIES.has(name)) return `\\p{${name}}`;
    if (name.startsWith('Is')) {
      const bare = name.slice(2);
      if (GENERAL_CATEGORIES.has(bare)) return `\\p{${bare}}`;
      const binary = BINARY_PROPERTIES[bare.toLowerCase()];
      if (binary) return `\\p{${binary}}`;
      return `\\p{Script=${bare}}`;
    }
    if (name.startsWith('In')) this.fail(`Unicode blocks (${name}) have no JavaScript equivalent`);
    this.fail(`unknown property ${name}`);
  }

  private category(value: string): string {
    if (!GENERAL_CATEGORIES.has(value)) this.fail(`unknown general category ${value}`);
    return `\\p{${value}}`;
  }

  // --- character classes ---------------------------------------------------------------

  /** [...]: Java's unions, ranges, nested classes and && intersections. */
  private characterClass(): string {
    this.pos++; // '['
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const operands: ClassItem[][] = [[]];
    let first = true;
    while (true) {
      const c = this.peek();
      if (c === undefined) this.fail('unclosed character class');
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '&' && this.peek(1) === '&') {
        this.pos += 2;
        operands.push([]);
        continue;
      }
      const items = operands[operands.length - 1];
      if (c === '[') {
        items.push(this.characterClass());
        continue;
      }
      if (c === '\\' && this.peek(1) === 'Q') {
        this.pos += 2;
        const end = this.src.indexOf('\\E', this.pos);
        const text = end < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, end);
        this.pos = end < 0 ? this.src.length : end + 2;
        for (const ch of text) items.push(literal(ch.codePointAt(0)!));
        continue;
      }
      items.push(this.classRangeOrSingle());
    }
    const unions = operands.map((items) => items.join(''));
    const body = unions.length === 1 ? unions[0] : unions.map((u) => `[${u}]`).join('&&');
    if (!body) return negated ? '[\\u{0}-\\u{10FFFF}]' : '[]';
    return `[${negated ? '^' : ''}${body}]`;
  }

  /** One class member: a single character, a range a-b, or a class escape such as \w. */
  private classRangeOrSingle(): ClassItem {
    let start: number;
    if (this.peek() === '\\') {
      const next = this.peek(1)!;
      if (PREDEFINED[next] || next === 'p' || next === 'P') return this.classEscape();
      start = this.escapedCodePoint();
    } else {
      start = this.src.codePointAt(this.pos)!;
      this.pos += start > 0xffff ? 2 : 1;
    }
    // Java: '-' makes a range unless it is followed by ']' (then it is a literal '-').
    if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '[' && this.peek(1) !== undefined) {
      this.pos++;
      let end: number;
      if (this.peek() === '\\') {
        const next = this.peek(1)!;
        if (PREDEFINED[next] || next === 'p' || next === 'P') this.fail('a class cannot end a range');
        end = this.escapedCodePoint();
      } else {
        end = this.src.codePointAt(this.pos)!;
        this.pos += end > 0xffff ? 2 : 1;
      }
      if (end < start) this.fail('illegal character range');
      return `${literal(start)}-${literal(end)}`;
    }
    return literal(start);
  }
}
