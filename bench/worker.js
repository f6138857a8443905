// The benchmark's Web Worker (bench/browser.mjs, mode "worker"): bulk-core's wasm build
// (crates/bench-wasm, built for the web into target/bench/wasm-web) reads a File from its
// stream and checks every row, off the page's thread. A message { warm: url } reads and
// checks the bytes at that address a few times first, so the browser has compiled the
// reading path for speed before the file arrives (as the app's warm-up does); { file } is
// the measured read.
import init, { Reader } from '/wasm/bulk_bench_wasm.js';

const ready = init();
onmessage = async ({ data }) => {
  await ready;
  if (data.warm) {
    const bytes = new Uint8Array(await (await fetch(data.warm)).arrayBuffer());
    for (let i = 0; i < 3; i++) {
      const r = new Reader(bytes.length);
      r.push(bytes);
      r.finish();
    }
    postMessage({ warmed: true });
    return;
  }
  const r = new Reader(data.file.size);
  const stream = data.file.stream().getReader();
  for (;;) {
    const { done, value } = await stream.read();
    if (done) break;
    r.push(value);
  }
  postMessage(JSON.parse(r.finish()));
};
