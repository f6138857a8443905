// A deterministic contacts file of about `mb` megabytes for the large-file browser test:
// the same bytes every run, written once and reused from artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import { artifacts } from './helpers.mjs';

export function bigFile(mb) {
  const file = path.join(artifacts, `contacts-${mb}mb.csv`);
  if (fs.existsSync(file)) return { file, ...JSON.parse(fs.readFileSync(`${file}.json`, 'utf8')) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, 'w');
  let size = 0;
  let rows = 0;
  let chunk = 'C_EmailAddress,C_FirstName,C_LastName,C_Title,C_BusPhone,C_Company,C_Website1\n';
  const target = mb * 1_000_000;
  while (size + chunk.length < target) {
    const i = rows;
    chunk += `person${i}@example.com,Zoë${i % 97},Müller${i % 89},"Director, Sales",+44 20 7946 ${String(i % 10000).padStart(4, '0')},Company ${i % 500},https://www.site${i % 977}.example/contact\n`;
    rows += 1;
    if (chunk.length > 1 << 20) {
      size += fs.writeSync(fd, chunk);
      chunk = '';
    }
  }
  size += fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  const meta = { rows, last: `person${rows - 1}@example.com`, size: fs.statSync(file).size };
  fs.writeFileSync(`${file}.json`, JSON.stringify(meta));
  return { file, ...meta };
}
