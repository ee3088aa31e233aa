//! Times each stage of `cov audit` in-process on one set of inputs and
//! prints `key=value` lines (milliseconds and throughput) for
//! `scripts/bench.sh`:
//!
//! ```sh
//! cargo run --release --example stages -- --spec S --locustfile L [--routers DIR] [--alias /v1]
//! ```
//!
//! Each stage runs the same number of times whatever the input's size
//! (`--repeats`, 7 by default) and the best CPU time is reported, so small
//! inputs give stable figures even on a busy machine, and the best of as
//! many tries is compared across sizes.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use clap::Parser;

use cov::audit::{build, AuditOptions};
use cov::matcher::{Index, MatchOptions};
use cov::python::{tokenize, Source};

/// The allocator `cov` itself uses (`src/main.rs`), so that stage times
/// are those of the shipped binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    spec: PathBuf,
    #[arg(long)]
    locustfile: PathBuf,
    #[arg(long)]
    routers: Option<PathBuf>,
    #[arg(long = "alias")]
    aliases: Vec<String>,
    /// Repeat only this stage (spec, tokenizer, scanner, routes, attribute,
    /// index, matcher, audit), for profiling; the others run once.
    #[arg(long)]
    only: Option<String>,
    /// Run every stage exactly once (for instruction counting).
    #[arg(long)]
    once: bool,
    /// How many times each stage runs; the best time is reported.
    #[arg(long, default_value_t = 7)]
    repeats: usize,
}

/// CPU time this process has used, every thread included
/// (`CLOCK_PROCESS_CPUTIME_ID`): some stages read files on several threads.
#[cfg(target_os = "linux")]
fn thread_cpu() -> Option<Duration> {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the call's duration.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32))
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu() -> Option<Duration> {
    None
}

/// Best time of `f` over `runs` runs (at least one). CPU time of this
/// process where the system reports it, else wall time; and the minimum,
/// not the median: on a shared machine these are the figures least
/// disturbed by other processes.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last;
    loop {
        let (c0, t0) = (thread_cpu(), Instant::now());
        let value = f();
        let wall = t0.elapsed();
        let spent = match (c0, thread_cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => wall,
        };
        // The previous run's result is freed here, outside the timing: a
        // stage is not charged for freeing what it built the time before.
        last = value;
        times.push(spent);
        if times.len() >= runs {
            break;
        }
    }
    (times.into_iter().min().unwrap_or_default(), last)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mb_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1_048_576.0 / d.as_secs_f64()
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let only = args.only.clone();
    let once = args.once;
    let repeats = args.repeats;
    let rep = |stage: &str| {
        if !once && only.as_deref().is_none_or(|o| o == stage) {
            repeats
        } else {
            1
        }
    };
    let spec_bytes = std::fs::read(&args.spec).with_context(|| args.spec.display().to_string())?;
    let locust_bytes =
        std::fs::read(&args.locustfile).with_context(|| args.locustfile.display().to_string())?;
    let name = args.spec.display().to_string();

    let (t, spec) = median(rep("spec"), || cov::spec::parse(&spec_bytes, &name));
    let spec = spec?;
    println!("spec_ops={}", spec.endpoints.len());
    println!("spec_bytes={}", spec_bytes.len());
    println!("spec_ms={:.3}", ms(t));
    println!("spec_mb_s={:.0}", mb_s(spec_bytes.len(), t));

    let (t, tokens) = median(rep("tokenizer"), || {
        tokenize(&Source::from_bytes(&locust_bytes).text)
    });
    println!("tokens={}", tokens.tokens.len());
    println!("tokenizer_ms={:.3}", ms(t));
    println!("tokenizer_mb_s={:.0}", mb_s(locust_bytes.len(), t));

    let text = Source::from_bytes(&locust_bytes).text;
    let file = args.locustfile.display().to_string();
    let (t, scan) = median(rep("scanner"), || cov::scanner::scan_source(&file, &text));
    println!("sites={}", scan.sites.len());
    println!("scanner_ms={:.3}", ms(t));
    println!("scanner_mb_s={:.1}", mb_s(locust_bytes.len(), t));

    let knowledge = match &args.routers {
        Some(dir) => {
            let paths = vec![dir.clone()];
            let bytes: usize = walkdir::WalkDir::new(dir)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len() as usize)
                .sum();
            let (t, routes) = median(rep("routes"), || cov::routes::read_routes(&paths));
            let routes = routes?;
            println!("route_decls={}", routes.decls.len());
            println!("routes_ms={:.3}", ms(t));
            println!("routes_mb_s={:.1}", mb_s(bytes, t));
            let (t, knowledge) =
                median(rep("attribute"), || cov::routes::attribute(&routes, &spec));
            println!("attribute_ms={:.3}", ms(t));
            Some(knowledge)
        }
        None => None,
    };

    let calls: Vec<_> = scan
        .sites
        .iter()
        .filter_map(|s| Some((s.method?, s.url.as_deref()?)))
        .collect();
    let opts = MatchOptions {
        aliases: &args.aliases,
        strict_slashes: false,
        catch_all: knowledge.as_ref().map_or(&[], |k| k.catch_all.as_slice()),
    };
    let (t, index) = median(rep("index"), || Index::build(&spec, &opts));
    println!("index_ms={:.3}", ms(t));
    if !calls.is_empty() {
        // Enough rounds over the calls for a measurable time; one pass,
        // cold, with `--once`.
        let rounds = if once {
            1
        } else {
            (200_000 / calls.len()).max(1)
        };
        let (t, matched) = median(rep("matcher"), || {
            let mut matched = 0usize;
            for _ in 0..rounds {
                index.lookup_each(
                    &calls,
                    |&(method, url)| Some((method, url)),
                    |_, lookup| {
                        if matches!(lookup, cov::matcher::Lookup::Matched { .. }) {
                            matched += 1;
                        }
                    },
                );
            }
            matched / rounds
        });
        println!("lookups={}", calls.len());
        println!("matcher_ms={:.3}", ms(t) / rounds as f64);
        println!("matched={matched}");
        println!(
            "matcher_lookups_s={:.0}",
            (calls.len() * rounds) as f64 / t.as_secs_f64()
        );
    }

    let audit_opts = AuditOptions {
        aliases: args.aliases.clone(),
        spec_source: name.clone(),
        ..AuditOptions::default()
    };
    let (t, _audit) = median(rep("audit"), || {
        build(&spec, &scan, knowledge.as_ref(), &audit_opts)
    });
    println!("audit_ms={:.3}", ms(t));
    Ok(())
}
