// Lighthouse's mobile performance audit of the start page as the sandbox serves it (the built
// app, pre-compressed), with Debian's Chromium: the median of `runs` audits by score, and
// each run's figures. Issue 10's target is a score of 90 or more.
//   node bench/lighthouse.mjs [runs]
// Needs the built app (dist/) and sandbox (target/debug/bulk-sandbox): ./bench.sh builds them.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandbox } from '../tests/e2e/helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Math.max(1, Number(process.argv[2] ?? 3));
const bin = path.join(here, 'node_modules', '.bin', 'lighthouse');
const out = path.join(os.tmpdir(), `bulk-lighthouse-${process.pid}.json`);

const sandbox = await startSandbox();
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    // Lighthouse's defaults: a mid-range phone on slow 4G, simulated (the same on any machine).
    await promisify(execFile)(bin, [`${sandbox.origin}/`, '--only-categories=performance',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu', '--output=json',
      `--output-path=${out}`, '--quiet'], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' } });
    const report = JSON.parse(fs.readFileSync(out, 'utf8'));
    const a = report.audits;
    const sent = a['network-requests'].details.items.reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
    results.push({
      score: Math.round(report.categories.performance.score * 100),
      fcp: a['first-contentful-paint'].numericValue,
      lcp: a['largest-contentful-paint'].numericValue,
      tbt: a['total-blocking-time'].numericValue,
      si: a['speed-index'].numericValue,
      cls: a['cumulative-layout-shift'].numericValue,
      tti: a.interactive.numericValue,
      sent,
      lcpElement: a['lcp-breakdown-insight']?.details?.items?.find((d) => d.type === 'node')?.selector ?? '?',
    });
  }
} finally {
  fs.rmSync(out, { force: true });
  await sandbox.stop();
}
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
console.log(`Lighthouse ${JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'lighthouse', 'package.json'), 'utf8')).version}, mobile, simulated slow 4G; the start page served by the sandbox. Target: 90.\n`);
console.log('| run | score | first paint | largest paint | blocking time | speed index | layout shift | interactive | downloaded | largest element |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
results.forEach((r, i) => console.log(`| ${i + 1} | ${r.score} | ${s(r.fcp)} | ${s(r.lcp)} | ${Math.round(r.tbt)} ms | ${s(r.si)} | ${r.cls.toFixed(3)} | ${s(r.tti)} | ${(r.sent / 1024).toFixed(0)} KB | ${r.lcpElement} |`));
const median = [...results].sort((a, b) => a.score - b.score)[Math.floor(results.length / 2)];
console.log(`| median | **${median.score}** | ${s(median.fcp)} | ${s(median.lcp)} | ${Math.round(median.tbt)} ms | ${s(median.si)} | ${median.cls.toFixed(3)} | ${s(median.tti)} | ${(median.sent / 1024).toFixed(0)} KB | ${median.lcpElement} |`);
