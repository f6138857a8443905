// A minimal static file server for the browser tests: a folder on a free port of 127.0.0.1,
// with extra headers if asked, recording every request path. Used to play a static host
// (the built app with or without a config.json) and a portal page on another origin.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.json': 'application/json', '.csv': 'text/csv',
};

/** Serves `dir`; resolves to { origin, requests, stop }. */
export function serveDir(dir, { headers = {} } = {}) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(url.pathname);
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(path.resolve(dir))) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...headers });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        requests,
        stop: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}

/** A copy of the built app in a fresh folder, with `config` as its config.json (or none). */
export function appCopy(appDir, config) {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'bulk-app-'));
  for (const name of fs.readdirSync(appDir)) {
    if (name.endsWith('.gz') || name.endsWith('.br') || name.startsWith('config.json')) continue;
    fs.cpSync(path.join(appDir, name), path.join(dir, name), { recursive: true });
  }
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}
