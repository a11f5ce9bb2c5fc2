// Incremental CSV reading for `attune import`: bytes in, records out, one chunk at a time, so a file of any
// size is read in constant memory. Pure (no I/O): the command feeds it the chunks of a read stream.
// RFC 4180 quoting ("" inside quotes, delimiters and line breaks inside quoted fields), CRLF or LF, a UTF-8
// BOM; the delimiter (`,` `;` or tab) is detected from the header line. Bytes are checked as UTF-8 line by
// line, so a stray Latin-1 byte rejects only the record it sits in, naming its line.

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface CsvRecord {
  /** 1-based line the record starts on (the header is line 1) */
  line: number;
  fields: string[];
  /** set when a line of the record is not valid UTF-8: the fields hold U+FFFD where the bytes were */
  badEncoding?: { line: number };
}

/** Counts each candidate delimiter outside quotes in the header line; the most frequent wins (`,` on a tie or none). */
export function detectDelimiter(header: string): Delimiter {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

const NEWLINE = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/** Physical lines from byte chunks (LF or CRLF), each decoded as strict UTF-8. */
class LineSplitter {
  private rest: Uint8Array = new Uint8Array(0);
  private strict = new TextDecoder('utf-8', { fatal: true });
  private lenient = new TextDecoder('utf-8');
  private first = true;

  *push(chunk: Uint8Array): Generator<{ text: string; bad: boolean }> {
    let buf = this.rest.length ? concat(this.rest, chunk) : chunk;
    if (this.first) {
      if (buf.length < 3 && buf.length > 0) {
        this.rest = buf; // too short to tell whether it starts with a BOM
        return;
      }
      this.first = false;
      if (BOM.every((b, i) => buf[i] === b)) buf = buf.subarray(3);
    }
    let start = 0;
    for (let i = buf.indexOf(NEWLINE, start); i >= 0; i = buf.indexOf(NEWLINE, start)) {
      yield this.decode(buf.subarray(start, i));
      start = i + 1;
    }
    this.rest = buf.slice(start);
  }

  *end(): Generator<{ text: string; bad: boolean }> {
    if (this.first && this.rest.length) {
      this.first = false;
      if (BOM.every((b, i) => this.rest[i] === b)) this.rest = this.rest.subarray(3);
    }
    if (this.rest.length) yield this.decode(this.rest);
    this.rest = new Uint8Array(0);
  }

  private decode(bytes: Uint8Array): { text: string; bad: boolean } {
    const line = bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
    try {
      return { text: this.strict.decode(line), bad: false };
    } catch {
      return { text: this.lenient.decode(line), bad: true };
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Feed it chunks; it yields records (the header first). Blank lines between records are skipped.
 * `delimiter` forces one; otherwise it is detected from the header line.
 */
export class CsvReader {
  delimiter: Delimiter | undefined;
  private lines = new LineSplitter();
  private lineNo = 0;
  // The record being read: it may span lines when a quoted field holds a line break.
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  private startLine = 0;
  private bad: { line: number } | undefined;

  constructor(delimiter?: Delimiter) {
    this.delimiter = delimiter;
  }

  *push(chunk: Uint8Array): Generator<CsvRecord> {
    for (const l of this.lines.push(chunk)) yield* this.line(l.text, l.bad);
  }

  /** Flushes the last line; a quote left open at the end of the file still ends its record. */
  *end(): Generator<CsvRecord> {
    for (const l of this.lines.end()) yield* this.line(l.text, l.bad);
    if (this.quoted) {
      this.quoted = false;
      yield* this.finish();
    }
  }

  private *line(text: string, bad: boolean): Generator<CsvRecord> {
    this.lineNo++;
    if (!this.quoted) {
      if (text === '') return; // a blank line is no record
      this.startLine = this.lineNo;
      this.delimiter ??= detectDelimiter(text);
    } else this.field += '\n'; // the line break inside a quoted field (CRLF becomes LF)
    if (bad) this.bad ??= { line: this.lineNo };
    const d = this.delimiter!;
    let i = 0;
    const n = text.length;
    while (i < n) {
      if (this.quoted) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          this.field += text.slice(i);
          i = n;
        } else if (text[q + 1] === '"') {
          this.field += text.slice(i, q + 1);
          i = q + 2;
        } else {
          this.field += text.slice(i, q);
          this.quoted = false;
          i = q + 1;
        }
      } else {
        const ch = text[i]!;
        if (ch === '"' && this.field === '') {
          this.quoted = true;
          i++;
        } else if (ch === d) {
          this.fields.push(this.field);
          this.field = '';
          i++;
        } else {
          // Up to the next delimiter or quote in one slice (a stray quote mid-field is kept as it is).
          let j = i + 1;
          while (j < n && text[j] !== d && text[j] !== '"') j++;
          if (j < n && text[j] === '"') j++;
          this.field += text.slice(i, j);
          i = j;
        }
      }
    }
    if (!this.quoted) yield* this.finish();
  }

  private *finish(): Generator<CsvRecord> {
    this.fields.push(this.field);
    const record: CsvRecord = { line: this.startLine, fields: this.fields, ...(this.bad ? { badEncoding: this.bad } : {}) };
    this.fields = [];
    this.field = '';
    this.bad = undefined;
    yield record;
  }
}

/** Reads a whole text or byte array: for tests and small inputs. */
export function parseCsv(input: string | Uint8Array, delimiter?: Delimiter): CsvRecord[] {
  const r = new CsvReader(delimiter);
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  return [...r.push(bytes), ...r.end()];
}
