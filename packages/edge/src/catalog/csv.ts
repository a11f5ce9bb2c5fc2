// RFC 4180 CSV (quoted fields, "" escapes, newlines inside quotes, CRLF or LF), with the line each record
// starts on so errors can say "row 17" as a spreadsheet shows it. Hand-written rather than a dependency:
// the whole grammar is the loop below, and the feed validator needs the line numbers.

export interface CsvRecord {
  /** 1-based line the record starts on (the header is row 1 in a one-line-per-row file) */
  line: number;
  cells: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; message: string };

export function parseCsv(text: string, delimiter = ','): CsvResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // spreadsheet exports often start with a BOM
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  let closed = false; // a quoted field just ended: only a delimiter or the end of the line may follow
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    // Blank lines are skipped, not read as a record with one empty cell.
    if (cells.length > 1 || cells[0] !== '') records.push({ line: start, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') (cell += '"'), (i += 2);
        else (quoted = false), (closed = true), i++;
        continue;
      }
      if (ch === '\n') line++;
      cell += ch;
      i++;
      continue;
    }
    if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      closed = false;
      i++;
    } else if (ch === '\n' || ch === '\r') {
      endRecord();
      closed = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
    } else if (closed) {
      return { ok: false, line, message: 'text after a closing quote: a quoted field must end at a comma or the end of the line' };
    } else if (ch === '"') {
      if (cell !== '') return { ok: false, line, message: 'a quote in the middle of an unquoted field: quote the whole field and double the quote ("")' };
      quoted = true;
      quoteLine = line;
      i++;
    } else {
      cell += ch;
      i++;
    }
  }
  if (quoted) return { ok: false, line: quoteLine, message: 'a quoted field is never closed' };
  if (cell !== '' || cells.length || closed) endRecord();
  return { ok: true, records };
}
