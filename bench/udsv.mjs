// uDSV (a small, fast CSV parser for JavaScript) on the same file as bulk-core: decode
// (UTF-8), parse to arrays of strings, and, unless the second argument is `parse`, validate
// every row with the same checks as Papa Parse (checks.mjs). Keeps every row. Prints one
// JSON line. `parse` alone is the floor a JavaScript parser sets, without any checks.
import fs from 'node:fs';
import { inferSchema, initParser } from 'udsv';
import { checkRows, hwm, rss } from './checks.mjs';

const file = process.argv[2];
const parseOnly = process.argv[3] === 'parse';
const base = rss();
const bytes = fs.readFileSync(file);
const t0 = performance.now();
const text = new TextDecoder('utf-8').decode(bytes);
const schema = inferSchema(text);
const parser = initParser(schema);
// The header row is taken by the schema; blank lines are dropped, as the others do.
const rows = parser.stringArrs(text).filter((r) => !(r.length === 1 && r[0].trim() === ''));
const fields = schema.cols.map((c) => c.name);
let valid = null; let invalid = null;
if (!parseOnly) {
  const at = new Map(fields.map((f, i) => [f, i]));
  ({ valid, invalid } = checkRows(rows, fields, (r) => r.length, (r, col) => r[at.get(col)]));
}
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ size: bytes.length, rows: rows.length, valid, invalid, seconds, peak_bytes: hwm() - base, kept: rows.length > 0 }));
