//! The benchmark command: generates the large contacts files, then measures the same work
//! (decode + sniff + parse + validate + keep every row) three ways on the same file —
//! bulk-core natively, bulk-core compiled to wasm (in Node), and Papa Parse (in Node) —
//! and prints a table with the ratios.
//!
//! Run with `./bench.sh` (builds what it needs), or `cargo run --release -p bulk-bench`.

use bulk_bench::{generate, pipeline};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts live heap bytes and their peak, for the native memory column.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let path = format!("target/bench/contacts-{mb}mb.csv");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(_) => {
            let b = generate(mb * 1_000_000);
            let _ = std::fs::create_dir_all("target/bench");
            let _ = std::fs::write(&path, &b);
            b
        }
    };
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = Instant::now();
    let out = pipeline(&bytes, 1 << 20).expect("generated files read");
    let secs = t.elapsed().as_secs_f64();
    let peak = PEAK.load(Ordering::Relaxed) - base;
    println!(
        "{{\"size\":{},\"rows\":{},\"valid\":{},\"invalid\":{},\"seconds\":{secs:.4},\"peak_bytes\":{peak}}}",
        bytes.len(),
        out.rows,
        out.valid,
        out.invalid
    );
}
