// The contacts checks every JavaScript contender runs, the way the app does them for the
// contacts object: required fields, e-mail as <input type=email>, web address, lenient
// phone, lengths, extra spaces, unique e-mail ignoring case. Shared so that Papa Parse and
// uDSV do exactly the same work after parsing.
import fs from 'node:fs';

export const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
export const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;

// The HTML standard's valid e-mail address.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const SIMPLE_URL = /^https?:\/\/[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(\/[!-~]*)?$/i;
function url(v) {
  if (SIMPLE_URL.test(v)) return 'ok';
  if (/^https?:\/\//i.test(v)) { try { new URL(v); return /\s/.test(v) ? 'error' : 'ok'; } catch { return 'error'; } }
  return /^[^\s:/]+\.[^\s:]+/.test(v) ? 'warning' : 'error';
}
function phone(v) {
  const number = v.split(/x|ext/i)[0];
  let depth = 0; let ok = true;
  for (const c of number) { if (c === '(') depth++; else if (c === ')') { depth--; if (depth < 0) ok = false; } }
  return ok && depth === 0 && /^[0-9 +().\-/]*$/.test(number) && (number.match(/\d/g) ?? []).length >= 3;
}

// The contacts field of each column of the generated file.
const MAP = {
  email: 'C_EmailAddress', first_name: 'C_FirstName', last_name: 'C_LastName', job_title: 'C_Title',
  telephone: 'C_BusPhone', company_name: 'C_Company', website: 'C_Website1',
};

/// Checks every row; `width(r)` is a row's number of fields and `cell(r, column)` a cell's
/// text (by column name), so rows may be objects (Papa Parse) or arrays (uDSV).
export function checkRows(rows, fields, width, cell) {
  const seen = new Map();
  let valid = 0; let invalid = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    let bad = width(r) !== fields.length;
    for (const [field, col] of Object.entries(MAP)) {
      const raw = cell(r, col) ?? '';
      const v = raw.trim();
      if (v === '') { if (field === 'email' || field === 'last_name') bad = true; continue; }
      if (field === 'email') {
        if (!EMAIL.test(v) || v.length > 254) bad = true;
        const key = v.toLowerCase();
        if (seen.has(key)) bad = true; else seen.set(key, i);
      } else if (field === 'website') {
        if (url(v) === 'error') bad = true;
      } else if (field === 'telephone') {
        phone(v);
      } else if ([...v].length > 60) bad = true;
    }
    if (bad) invalid++; else valid++;
  }
  return { valid, invalid };
}
