// Trunk post-build hook: moves the start-up code Trunk writes inline into index.html out to a
// file of its own (`start-<hash>.js`, with its integrity), so the app runs under a strict
// Content-Security-Policy (`script-src 'self'`, no 'unsafe-inline'). Trunk 0.21 has no option
// for this: `inject_scripts = false` drops the preloads too, and `create_nonce` needs a
// server that writes a fresh nonce into every response, which a static host cannot do.
// Runs inside Trunk's staging folder (TRUNK_STAGING_DIR), so `trunk serve` output is the same.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('start-script: run as a Trunk post_build hook (TRUNK_STAGING_DIR unset)');
const index = path.join(dir, 'index.html');
const html = fs.readFileSync(index, 'utf8');
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const found = html.match(inline);
if (!found) {
  // Already external (a second run) or Trunk changed its output: say so rather than ship a
  // page that a strict policy blanks.
  if (/<script type="module" src="\.\/start-/.test(html)) process.exit(0);
  throw new Error('start-script: no inline start-up script in index.html; check the Trunk version');
}
const code = found[1].trim() + '\n';
const digest = (algo, enc) => crypto.createHash(algo).update(code).digest(enc);
const name = `start-${digest('sha256', 'hex').slice(0, 16)}.js`;
fs.writeFileSync(path.join(dir, name), code);
const tag = `<script type="module" src="./${name}" integrity="sha384-${digest('sha384', 'base64')}" crossorigin="anonymous"></script>`;
fs.writeFileSync(index, html.replace(inline, tag));
console.log(`start-script: start-up code moved to ${name}`);
