// Trunk post-build hook: names the app's module by its content. Trunk builds it like a worker
// (see index.html), and a worker's files keep a fixed name, `bulk-uploader.js` and
// `bulk-uploader_bg.wasm`; a host that caches by name (docs/nginx.conf keeps hashed names for
// a year) would then serve last release's module to this release's first screen. This renames
// both to `bulk-uploader-<hash>…` and writes the new names into the first screen's loader, the
// wasm-bindgen snippet that imports the module (its folder holds no hash of its content, so
// hosts revalidate it every time), with its integrity in index.html. Runs inside Trunk's
// staging folder, before start-script.mjs (scripts/post-build.mjs runs both, in order).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) throw new Error('app-module-name: run as a Trunk post_build hook (TRUNK_STAGING_DIR unset)');
const js = 'bulk-uploader.js';
const wasm = 'bulk-uploader_bg.wasm';
if (!fs.existsSync(path.join(dir, js)) || !fs.existsSync(path.join(dir, wasm))) {
  throw new Error(`app-module-name: no ${js} and ${wasm} in the build; check index.html's second rust link`);
}
const hash = crypto.createHash('sha256');
for (const f of [js, wasm]) hash.update(fs.readFileSync(path.join(dir, f)));
const stem = `bulk-uploader-${hash.digest('hex').slice(0, 16)}`;
const named = { [js]: `${stem}.js`, [wasm]: `${stem}_bg.wasm` };
// The module's own default wasm URL follows too (the loader passes the URL anyway).
const code = fs.readFileSync(path.join(dir, js), 'utf8').replaceAll(`'${wasm}'`, `'${named[wasm]}'`);
fs.writeFileSync(path.join(dir, named[js]), code);
fs.renameSync(path.join(dir, wasm), path.join(dir, named[wasm]));
fs.rmSync(path.join(dir, js));
const loaders = fs.readdirSync(path.join(dir, 'snippets'), { recursive: true })
  .map((f) => path.join(dir, 'snippets', String(f)))
  .filter((f) => f.endsWith('.js') && fs.readFileSync(f, 'utf8').includes(`'${js}'`));
if (loaders.length !== 1) throw new Error(`app-module-name: ${loaders.length} snippets load ${js}; expected one (src/first_screen.rs)`);
const loader = fs.readFileSync(loaders[0], 'utf8').replaceAll(`'${js}'`, `'${named[js]}'`).replaceAll(`'${wasm}'`, `'${named[wasm]}'`);
fs.writeFileSync(loaders[0], loader);
// index.html preloads the loader with its integrity, which must be the new content's.
const index = path.join(dir, 'index.html');
const href = `./${path.relative(dir, loaders[0]).split(path.sep).join('/')}`;
const preload = new RegExp(`(<link rel="modulepreload" href="${href.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*integrity=")[^"]+(")`);
const html = fs.readFileSync(index, 'utf8');
if (!preload.test(html)) throw new Error(`app-module-name: index.html has no preload of ${href} with its integrity; check the Trunk version`);
const digest = crypto.createHash('sha384').update(loader).digest('base64');
fs.writeFileSync(index, html.replace(preload, `$1sha384-${digest}$2`));
console.log(`app-module-name: the app's module is ${stem}`);
