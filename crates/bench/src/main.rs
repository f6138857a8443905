//! The benchmark command: generates the large contacts files deterministically, then
//! measures the same work (decode + sniff + parse + validate + keep every row) on the same
//! file three ways — bulk-core natively, bulk-core compiled to wasm (in Node, the engine
//! of Chromium), and Papa Parse (in Node) — and prints a table with the ratios.
//!
//! Run with `./bench.sh` (builds what it needs first), or after building:
//! `target/release/bulk-bench [--sizes 10,100] [--runs 3]`.

use bulk_bench::{generate, pipeline};
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts live heap bytes and their peak, for the native memory column.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let now = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// One measured run.
#[derive(Clone, Debug, Default)]
struct Run {
    rows: u64,
    valid: u64,
    invalid: u64,
    seconds: f64,
    peak_bytes: f64,
}

fn parse_run(json: &str) -> Result<Run, String> {
    let v: serde_json::Value =
        serde_json::from_str(json.trim()).map_err(|e| format!("{e}: {json}"))?;
    let n = |k: &str| v.get(k).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
    if let Some(e) = v.get("error") {
        return Err(e.to_string());
    }
    Ok(Run {
        rows: n("rows") as u64,
        valid: n("valid") as u64,
        invalid: n("invalid") as u64,
        seconds: n("seconds"),
        peak_bytes: n("peak_bytes"),
    })
}

fn native(bytes: &[u8]) -> Result<Run, String> {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = Instant::now();
    let out = pipeline(bytes, 1 << 20)?;
    let seconds = t.elapsed().as_secs_f64();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    Ok(Run {
        rows: out.rows as u64,
        valid: out.valid as u64,
        invalid: out.invalid as u64,
        seconds,
        peak_bytes: peak as f64 + bytes.len() as f64,
    })
}

fn node(script: &str, file: &str) -> Result<Run, String> {
    let out = Command::new("node")
        .arg(script)
        .arg(file)
        .output()
        .map_err(|e| format!("node: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    parse_run(&String::from_utf8_lossy(&out.stdout))
}

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let peak = runs.iter().map(|r| r.peak_bytes).fold(0.0, f64::max);
    Run {
        peak_bytes: peak,
        ..runs[runs.len() / 2].clone()
    }
}

fn main() {
    let mut sizes = vec![10usize, 100];
    let mut runs = 3usize;
    let args: Vec<String> = std::env::args().collect();
    for w in args.windows(2) {
        match w[0].as_str() {
            "--sizes" => {
                sizes = w[1]
                    .split(',')
                    .filter_map(|s| s.trim().parse().ok())
                    .collect()
            }
            "--runs" => runs = w[1].parse().unwrap_or(3).max(1),
            _ => {}
        }
    }
    let dir = "target/bench";
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("bench: cannot create {dir}: {e}");
        std::process::exit(1);
    }
    println!(
        "Decode + sniff + parse + validate + keep every row; median of {runs} runs; peak = highest seen."
    );
    println!(
        "Memory: native = peak heap + file; Node = peak RSS above the idle process (file included).\n"
    );
    println!(
        "| file | contender | seconds | MB/s | rows/s | peak memory | x file | speed vs Papa Parse |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for mb in sizes {
        let path = format!("{dir}/contacts-{mb}mb.csv");
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(_) => {
                let b = generate(mb * 1_000_000);
                if let Err(e) = std::fs::write(&path, &b) {
                    eprintln!("bench: cannot write {path}: {e}");
                    std::process::exit(1);
                }
                b
            }
        };
        let mut results: Vec<(&str, Result<Run, String>)> = Vec::new();
        let mut collect = |name: &'static str, f: &dyn Fn() -> Result<Run, String>| {
            let r: Result<Vec<Run>, String> = (0..runs).map(|_| f()).collect();
            results.push((name, r.map(median)));
        };
        collect("bulk-core, native", &|| native(&bytes));
        collect("bulk-core, wasm (Node)", &|| {
            node("bench/wasm-runner.mjs", &path)
        });
        collect("Papa Parse (Node)", &|| node("bench/papa.mjs", &path));
        let papa = results
            .iter()
            .find(|r| r.0.starts_with("Papa"))
            .and_then(|r| r.1.as_ref().ok())
            .map(|r| r.seconds);
        let reference = results
            .first()
            .and_then(|r| r.1.as_ref().ok())
            .map(|r| (r.rows, r.valid, r.invalid));
        for (name, r) in &results {
            match r {
                Ok(r) => {
                    let same = reference == Some((r.rows, r.valid, r.invalid));
                    let mb_s = bytes.len() as f64 / 1e6 / r.seconds;
                    let ratio = papa
                        .map(|p| format!("{:.1}x", p / r.seconds))
                        .unwrap_or_else(|| "-".into());
                    println!(
                        "| {mb} MB | {name} | {:.3} | {mb_s:.0} | {:.0} | {:.0} MB | {:.1} | {ratio}{} |",
                        r.seconds,
                        r.rows as f64 / r.seconds,
                        r.peak_bytes / 1e6,
                        r.peak_bytes / bytes.len() as f64,
                        if same { "" } else { " (different counts!)" }
                    );
                }
                Err(e) => println!(
                    "| {mb} MB | {name} | failed: {} | | | | | |",
                    e.lines().next().unwrap_or("")
                ),
            }
        }
        if let Some((rows, valid, invalid)) = reference {
            println!(
                "| {mb} MB | (every contender found) | {rows} rows, {valid} valid, {invalid} with errors | | | | | |"
            );
        }
    }
}
