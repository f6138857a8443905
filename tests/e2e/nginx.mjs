// Runs docs/nginx.conf, the recipe the README quotes, as an ordinary process for a test:
// the server block filled in (the app's folder, the upstream, a free port on 127.0.0.1)
// inside a minimal nginx.conf whose pid file, logs and temporary folders are all in a
// temporary folder, in the foreground (daemon off, no master process). stop() ends it and
// waits; nothing is left running, nothing is installed.
//
// nginx: $NGINX, else `nginx` on PATH, else Debian's package unpacked by
// `scripts/setup.sh --browser` into ~/.cache/bulk-uploader/nginx.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
/** The recipe. */
export const RECIPE = path.join(root, 'docs', 'nginx.conf');
/** Where scripts/setup.sh --browser unpacks Debian's nginx package. */
export const NGINX_CACHE = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'bulk-uploader', 'nginx');

const executable = (file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The nginx binary to run, or an error that says how to get one. */
export function findNginx() {
  if (process.env.NGINX) {
    if (!executable(process.env.NGINX)) throw new Error(`NGINX=${process.env.NGINX} is not an executable file`);
    return process.env.NGINX;
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, 'nginx'))) return path.join(dir, 'nginx');
  }
  const cached = path.join(NGINX_CACHE, 'usr', 'sbin', 'nginx');
  if (executable(cached)) return cached;
  throw new Error(`nginx not found (not on PATH, not in ${cached}): run scripts/setup.sh --browser, which unpacks Debian's nginx package there`);
}

/** A port free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves true once something accepts connections on the port. */
function accepts(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

/** The recipe's server block with its placeholders filled in. */
export function fillRecipe(template, values, csp) {
  let text = template;
  for (const [key, value] of Object.entries(values)) text = text.split(`@${key}@`).join(value);
  const left = text.split('\n').filter((l) => !l.trim().startsWith('#') && /@[A-Z_]+@/.test(l));
  if (left.length) throw new Error(`placeholders not filled in: ${left.join(' | ')}`);
  if (csp !== undefined) {
    const line = /(add_header\s+Content-Security-Policy\s+")[^"]*(")/g;
    const n = (text.match(line) ?? []).length;
    if (n !== 1) throw new Error(`expected one Content-Security-Policy line in the recipe, found ${n}`);
    text = text.replace(line, (_, a, b) => `${a}${csp}${b}`);
  }
  return text;
}

const running = new Set();
// A test that dies half way must not leave an nginx behind either.
process.on('exit', () => { for (const p of running) p.kill('SIGKILL'); });

/**
 * Starts nginx with the recipe.
 * @param {object} o
 * @param {string} o.distDir the built app's folder (served under /tools/bulk/)
 * @param {string} o.upstream the tenant, e.g. a sandbox's origin (`http://127.0.0.1:1234`)
 * @param {string} [o.csp] replaces the recipe's Content-Security-Policy value
 * @param {string} [o.config] another server-block template instead of docs/nginx.conf
 * @param {string} [o.frameAncestors] the @FRAME_ANCESTORS@ value ("'self'")
 * @returns {Promise<{origin: string, port: number, pid: number, dir: string, errorLog: () => string, accessLog: () => string, stop: () => Promise<void>}>}
 */
export async function startNginx({ distDir, upstream, csp, config, frameAncestors = "'self'" }) {
  const bin = findNginx();
  if (!fs.existsSync(path.join(distDir, 'index.html'))) throw new Error(`${distDir} holds no index.html: build the app first`);
  const template = fs.readFileSync(config ?? RECIPE, 'utf8');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-nginx-'));
  let lastError;
  // The free port is free when asked; another process can take it before nginx binds it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const server = fillRecipe(template, {
      LISTEN: `127.0.0.1:${port}`,
      SERVER_NAME: '127.0.0.1',
      DIST: path.resolve(distDir).replace(/\/+$/, ''),
      UPSTREAM: upstream.replace(/\/+$/, ''),
      FRAME_ANCESTORS: frameAncestors,
    }, csp);
    fs.writeFileSync(path.join(dir, 'server.conf'), server);
    const t = (name) => path.join(dir, name);
    fs.writeFileSync(t('nginx.conf'), [
      'daemon off;',
      'master_process off;',
      'worker_processes 1;',
      `pid ${t('nginx.pid')};`,
      `error_log ${t('error.log')} notice;`,
      'events { worker_connections 256; }',
      'http {',
      `    access_log ${t('access.log')};`,
      `    client_body_temp_path ${t('client_body')};`,
      `    proxy_temp_path ${t('proxy')};`,
      `    fastcgi_temp_path ${t('fastcgi')};`,
      `    uwsgi_temp_path ${t('uwsgi')};`,
      `    scgi_temp_path ${t('scgi')};`,
      '    default_type application/octet-stream;',
      `    include ${t('server.conf')};`,
      '}',
      '',
    ].join('\n'));
    // -e: the error log before the configuration is read (Debian's default is stderr, fine,
    // but another build's may be a system path).
    const proc = spawn(bin, ['-p', dir, '-c', t('nginx.conf'), '-e', t('error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    let output = '';
    proc.stdout.on('data', (d) => { output += d; });
    proc.stderr.on('data', (d) => { output += d; });
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => { running.delete(proc); resolve({ code, signal }); }));
    const stop = async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    };
    const errorLog = () => { try { return fs.readFileSync(t('error.log'), 'utf8'); } catch { return ''; } };
    const accessLog = () => { try { return fs.readFileSync(t('access.log'), 'utf8'); } catch { return ''; } };
    const deadline = Date.now() + 10_000;
    let up = false;
    let ended = null;
    exited.then((e) => { ended = e; });
    while (!up && ended === null && Date.now() < deadline) {
      up = await accepts(port);
      if (!up) await new Promise((r) => setTimeout(r, 50));
    }
    if (up && ended === null) {
      return { origin: `http://127.0.0.1:${port}`, port, pid: proc.pid, dir, errorLog, accessLog, stop };
    }
    if (ended === null) proc.kill('SIGKILL');
    await exited;
    lastError = `nginx did not start (${ended ? `exit ${ended.code ?? ended.signal}` : 'no answer in 10 s'}): ${output}${errorLog()}`;
    if (!/Address already in use/.test(lastError)) break;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error(lastError);
}
