/**
 * RFC 4180 CSV parsing for MovieLens "latest" metadata: quoted fields may hold commas, doubled quotes
 * (`""`) and line breaks; records end with LF or CRLF.
 */
import { DatasetParseError } from '../../src/core/errors.ts';

/** Every record of `text` as its fields, each with the 1-based line number it starts on. */
export function parseCsv(text: string, file: string): { fields: string[]; lineNo: number }[] {
  const records: { fields: string[]; lineNo: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let lineNo = 1;
  let recordLine = 1;
  let i = 0;
  let fieldStarted = false;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, lineNo: recordLine });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && !fieldStarted) {
      const quoteLine = lineNo;
      i++;
      for (;;) {
        if (i >= text.length) throw new DatasetParseError(`${file}:${quoteLine}: quoted field never closed`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') lineNo++;
        field += q;
        i++;
      }
      fieldStarted = true;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new DatasetParseError(`${file}:${lineNo}: text after a closing quote`);
      }
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      endRecord();
      i += c === '\r' ? 2 : 1;
      lineNo++;
      recordLine = lineNo;
    } else {
      if (c === '"') throw new DatasetParseError(`${file}:${lineNo}: quote inside an unquoted field`);
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (field !== '' || fields.length > 0 || fieldStarted) endRecord();
  return records;
}
