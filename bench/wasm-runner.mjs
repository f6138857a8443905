// bulk-core compiled to wasm, in Node: reads the file in 1 MB pieces as the app does, then
// validates every row. Prints one JSON line (the same fields as papa.mjs).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const wasm = require(process.env.BENCH_WASM ?? '../target/bench/wasm/bulk_bench_wasm.js');
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const hwm = () => Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;

const file = process.argv[2];
const base = rss();
const bytes = fs.readFileSync(file);
const t0 = performance.now();
const reader = new wasm.Reader(bytes.length);
const piece = 1 << 20;
for (let i = 0; i < bytes.length; i += piece) {
  if (!reader.push(bytes.subarray(i, i + piece))) throw new Error('read failed');
}
const out = JSON.parse(reader.finish());
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ size: bytes.length, ...out, seconds, peak_bytes: hwm() - base, wasm_memory: wasm.memory_bytes() }));
