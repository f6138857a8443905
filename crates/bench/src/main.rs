//! The benchmark command: generates the large contacts files deterministically, then
//! measures the same work (decode + sniff + parse + validate + keep every row) on the same
//! file with bulk-core natively, bulk-core compiled to wasm (in Node, the engine of
//! Chromium), uDSV (a fast JavaScript CSV parser) with the same checks, and Papa Parse (the
//! parser under most JavaScript importers) with the same checks; uDSV parsing alone is the
//! floor a JavaScript parser sets. Prints one table with the ratios.
//!
//! Then the same file in headless Chromium: the app as it reads today, bulk-core's wasm in a
//! warmed Web Worker reading the chosen File (the path the app is moving to), and
//! `Blob.arrayBuffer` alone, the floor (bench/browser.mjs).
//!
//! Run with `./bench.sh` (builds what it needs first), or after building:
//! `target/release/bulk-bench [--sizes 10,100,300] [--runs 3]`.

use bulk_bench::{check, generate, read};
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
    /// `None` for a contender that only parses.
    counts: Option<(u64, u64)>,
    seconds: f64,
    /// Reading and checking apart, when the contender reports them.
    phases: Option<(f64, f64)>,
    peak_bytes: f64,
    /// The page's main-thread tasks over 50 ms and the longest, for the browser rows.
    long: Option<(u64, f64)>,
}

fn parse_run(json: &str) -> Result<Run, String> {
    let v: serde_json::Value =
        serde_json::from_str(json.trim()).map_err(|e| format!("{e}: {json}"))?;
    let n = |k: &str| v.get(k).and_then(serde_json::Value::as_f64);
    if let Some(e) = v.get("error") {
        return Err(e.to_string());
    }
    Ok(Run {
        rows: n("rows").unwrap_or(0.0) as u64,
        counts: n("valid")
            .zip(n("invalid"))
            .map(|(v, i)| (v as u64, i as u64)),
        seconds: n("seconds").unwrap_or(0.0),
        phases: n("read_ms")
            .zip(n("check_ms"))
            .map(|(r, c)| (r / 1000.0, c / 1000.0)),
        peak_bytes: n("peak_bytes").unwrap_or(0.0),
        long: n("long_tasks").map(|count| (count as u64, n("longest_ms").unwrap_or(0.0))),
    })
}

fn native(bytes: &[u8]) -> Result<Run, String> {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t = Instant::now();
    let file = read(bytes, 1 << 20)?;
    let reading = t.elapsed().as_secs_f64();
    let out = check(&file);
    let seconds = t.elapsed().as_secs_f64();
    drop(file);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    Ok(Run {
        rows: out.rows as u64,
        counts: Some((out.valid as u64, out.invalid as u64)),
        seconds,
        phases: Some((reading, seconds - reading)),
        peak_bytes: peak as f64 + bytes.len() as f64,
        long: None,
    })
}

fn node(args: &[&str]) -> Result<Run, String> {
    let out = Command::new("node")
        .args(args)
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
    // The worst run's long tasks: one stall is what a person notices.
    let long = runs
        .iter()
        .filter_map(|r| r.long)
        .reduce(|a, b| (a.0.max(b.0), a.1.max(b.1)));
    Run {
        peak_bytes: peak,
        long,
        ..runs[runs.len() / 2].clone()
    }
}

/// The contenders, in the order of the table.
const NATIVE: &str = "bulk-core, native";
const WASM: &str = "bulk-core, wasm (Node)";
const UDSV_CHECKS: &str = "uDSV + same checks (Node)";
const UDSV_PARSE: &str = "uDSV, parse only (Node)";
const PAPA: &str = "Papa Parse + same checks (Node)";
const APP: &str =
    "the app in headless Chromium, from a File: read and checked in its worker (the real app path)";
const FLOOR: &str = "Blob.arrayBuffer in headless Chromium (the floor)";

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
        "Decode + sniff + parse + validate + keep every row; median of {runs} runs (each contender's runs back to back); peak = highest seen."
    );
    println!(
        "Memory: native = peak heap + file; Node = peak RSS above the idle process (file included); Chromium = the renderers' peak RSS above what they held before the file was chosen. read / check: bulk-core's two phases. Chromium's time runs from the input's change event to the page saying how many rows are ready; long tasks are the page's main-thread tasks over 50 ms meanwhile.\n"
    );
    println!(
        "| file | contender | seconds | read / check | MB/s | rows/s | peak memory | x file | long tasks (longest) | time vs the floor | speed vs Papa Parse | speed vs uDSV + checks |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
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
        collect(NATIVE, &|| native(&bytes));
        collect(WASM, &|| node(&["bench/wasm-runner.mjs", &path]));
        collect(UDSV_CHECKS, &|| node(&["bench/udsv.mjs", &path]));
        collect(UDSV_PARSE, &|| node(&["bench/udsv.mjs", &path, "parse"]));
        collect(PAPA, &|| node(&["bench/papa.mjs", &path]));
        collect(APP, &|| node(&["bench/browser.mjs", &path, "app"]));
        collect(FLOOR, &|| node(&["bench/browser.mjs", &path, "floor"]));
        let seconds_of = |name: &str| {
            results
                .iter()
                .find(|r| r.0 == name)
                .and_then(|r| r.1.as_ref().ok())
                .map(|r| r.seconds)
        };
        let (papa, udsv, floor) = (seconds_of(PAPA), seconds_of(UDSV_CHECKS), seconds_of(FLOOR));
        let reference = results
            .first()
            .and_then(|r| r.1.as_ref().ok())
            .map(|r| (r.rows, r.counts));
        let ratio = |to: Option<f64>, r: &Run| {
            to.map(|t| format!("{:.1}x", t / r.seconds))
                .unwrap_or_else(|| "-".into())
        };
        for (name, r) in &results {
            match r {
                Ok(r) => {
                    // A contender that only parses is held to the row count alone; the floor
                    // only reads the bytes.
                    let same = *name == FLOOR
                        || reference.is_some_and(|(rows, counts)| {
                            rows == r.rows && (r.counts.is_none() || r.counts == counts)
                        });
                    let long = r
                        .long
                        .map(|(n, ms)| format!("{n} ({ms:.0} ms)"))
                        .unwrap_or_else(|| "-".into());
                    let phases = r
                        .phases
                        .map(|(read, check)| format!("{read:.3} / {check:.3}"))
                        .unwrap_or_else(|| "-".into());
                    println!(
                        "| {mb} MB | {name} | {:.3} | {phases} | {:.0} | {} | {:.0} MB | {:.1} | {long} | {} | {} | {}{} |",
                        r.seconds,
                        bytes.len() as f64 / 1e6 / r.seconds,
                        if *name == FLOOR {
                            "-".into()
                        } else {
                            format!("{:.0}", r.rows as f64 / r.seconds)
                        },
                        r.peak_bytes / 1e6,
                        r.peak_bytes / bytes.len() as f64,
                        floor
                            .map(|f| format!("{:.1}x", r.seconds / f))
                            .unwrap_or_else(|| "-".into()),
                        ratio(papa, r),
                        ratio(udsv, r),
                        if same { "" } else { " (different counts!)" }
                    );
                }
                Err(e) => println!(
                    "| {mb} MB | {name} | failed: {} | | | | | | | | | |",
                    e.lines().next().unwrap_or("")
                ),
            }
        }
        if let Some((rows, Some((valid, invalid)))) = reference {
            println!(
                "| {mb} MB | (every contender found) | {rows} rows, {valid} valid, {invalid} with errors | | | | | | | | | |"
            );
        }
    }
}
