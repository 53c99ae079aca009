// Where each statement of a policy document sits in its text, as the simulator reports
// it in MatchedStatements: StartPosition at the statement's `{` (1-based line and
// column) and EndPosition just after its `}`. A small scanner over the JSON text:
// the parsed form no longer knows positions.

export interface Position {
  Line: number;
  Column: number;
}

export interface StatementSpan {
  StartPosition: Position;
  EndPosition: Position;
}

/** The spans of the document's statements, in Statement-array order; [] if it cannot be read. */
export function statementSpans(text: string): StatementSpan[] {
  try {
    const scanner = new Scanner(text);
    scanner.space();
    if (text[scanner.at] !== '{') return [];
    const spans: StatementSpan[] = [];
    scanner.object((key) => {
      if (key !== 'Statement') return false;
      const start = scanner.at;
      if (text[start] === '[') {
        scanner.array(() => {
          const begin = scanner.at;
          scanner.value();
          if (text[begin] === '{') spans.push(scanner.span(begin, scanner.at));
        });
      } else {
        scanner.value();
        if (text[start] === '{') spans.push(scanner.span(start, scanner.at));
      }
      return true;
    });
    return spans;
  } catch {
    return [];
  }
}

class Scanner {
  at = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  space(): void {
    while (/\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  expect(char: string): void {
    this.space();
    if (this.text[this.at] !== char) throw new Error(`expected ${char} at ${this.at}`);
    this.at++;
  }

  string(): string {
    this.expect('"');
    const start = this.at;
    while (this.text[this.at] !== '"') {
      if (this.at >= this.text.length) throw new Error('unterminated string');
      this.at += this.text[this.at] === '\\' ? 2 : 1;
    }
    const raw = this.text.slice(start, this.at);
    this.at++;
    return JSON.parse(`"${raw}"`) as string;
  }

  /** Reads an object; `member` consumes a member's value itself when it returns true. */
  object(member: (key: string) => boolean): void {
    this.expect('{');
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return;
    }
    for (;;) {
      const key = this.string();
      this.expect(':');
      this.space();
      if (!member(key)) this.value();
      this.space();
      if (this.text[this.at] === ',') this.at++;
      else return this.expect('}');
      this.space();
    }
  }

  array(element: () => void): void {
    this.expect('[');
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return;
    }
    for (;;) {
      this.space();
      element();
      this.space();
      if (this.text[this.at] === ',') this.at++;
      else return this.expect(']');
    }
  }

  value(): void {
    this.space();
    const char = this.text[this.at];
    if (char === '{') this.object(() => false);
    else if (char === '[') this.array(() => this.value());
    else if (char === '"') this.string();
    else {
      const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.at));
      if (!literal) throw new Error(`unexpected ${char} at ${this.at}`);
      this.at += literal[0].length;
    }
  }

  position(offset: number): Position {
    const before = this.text.slice(0, offset);
    const line = before.split('\n').length;
    return { Line: line, Column: offset - before.lastIndexOf('\n') };
  }

  span(start: number, end: number): StatementSpan {
    return { StartPosition: this.position(start), EndPosition: this.position(end) };
  }
}
