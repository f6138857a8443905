// Papa Parse doing the same work as bulk-core on the same file: decode (UTF-8), parse with
// the header row, validate every row the way the app does for contacts (checks.mjs), and
// keep every row. Prints one JSON line.
import fs from 'node:fs';
import Papa from 'papaparse';
import { checkRows, hwm, rss } from './checks.mjs';

const file = process.argv[2];
const base = rss();
const bytes = fs.readFileSync(file);
const t0 = performance.now();
const text = new TextDecoder('utf-8').decode(bytes);
const parsed = Papa.parse(text, { header: true, skipEmptyLines: 'greedy' });
const rows = parsed.data;
const fields = parsed.meta.fields;
const { valid, invalid } = checkRows(rows, fields, (r) => Object.keys(r).length, (r, col) => r[col]);
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ size: bytes.length, rows: rows.length, valid, invalid, seconds, peak_bytes: hwm() - base, kept: rows.length > 0 }));
