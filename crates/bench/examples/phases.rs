//! Times the two phases of the native pipeline separately (reading: decode + sniff +
//! parse; checking: map + validate) on one file, for profiling:
//! `cargo run --release -p bulk-bench --example phases -- target/bench/contacts-100mb.csv 3`.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: phases FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    // `read-only` as a third argument skips the checks, to profile the reading alone.
    let read_only = args.get(3).is_some_and(|a| a == "read-only");
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("phases: {path}: {e}");
            std::process::exit(1);
        }
    };
    for _ in 0..runs {
        let t = Instant::now();
        let file = match bulk_bench::read(&bytes, 1 << 20) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("phases: {e}");
                std::process::exit(1);
            }
        };
        let read = t.elapsed().as_secs_f64();
        if read_only {
            println!("read {read:.3} s ({} rows)", file.table.len());
            continue;
        }
        let t = Instant::now();
        let o = bulk_bench::check(&file);
        let check = t.elapsed().as_secs_f64();
        println!(
            "read {read:.3} s, check {check:.3} s, total {:.3} s ({} rows, {} valid, {} invalid)",
            read + check,
            o.rows,
            o.valid,
            o.invalid
        );
    }
}
