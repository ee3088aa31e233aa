//! Writes synthetic, seeded inputs for benchmarking `cov`: an OpenAPI 3.1
//! spec, a locustfile and a FastAPI source tree, all derived from one
//! generated service so that the calls hit (and sometimes miss) the spec.
//!
//! ```sh
//! cargo run --release --example generate -- --out target/bench-data/1x --scale 1 --seed 1
//! cov audit --spec DIR/openapi.json --locustfile DIR/locustfile.py --routers DIR/service --alias /v1
//! ```
//!
//! Scale 1 is the size of a real gateway: 581 operations (about 1.5 MB of
//! spec), an 8,000-line locustfile with 80 classes and 400 request sites,
//! and 35 router files of about 40,000 lines. `--scale N` multiplies every
//! count; `--ops`, `--sites`, `--classes` and `--router-files` set one exactly.

mod fastapi;
mod locustfile;
mod model;
mod openapi;
mod rng;
mod words;

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::Parser;

/// Operations, request sites, user classes and router files at scale 1.
const OPS: usize = 581;
const SITES: usize = 400;
const CLASSES: usize = 80;

#[derive(Parser)]
#[command(about = "Write a synthetic spec, locustfile and FastAPI tree for benchmarks")]
struct Args {
    /// Output directory (created).
    #[arg(long)]
    out: PathBuf,
    /// Multiplies every count.
    #[arg(long, default_value_t = 1)]
    scale: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Exact number of spec operations.
    #[arg(long)]
    ops: Option<usize>,
    /// Exact number of request sites in the locustfile.
    #[arg(long)]
    sites: Option<usize>,
    /// Exact number of user classes.
    #[arg(long)]
    classes: Option<usize>,
    /// Exact number of router files (0: write no source tree).
    #[arg(long)]
    router_files: Option<usize>,
    /// Prefix the spec serves that the locustfile leaves out.
    #[arg(long, default_value = "/v1")]
    alias: String,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let scale = args.scale.max(1);
    let ops = args.ops.unwrap_or(OPS * scale).max(8);
    let sites = args.sites.unwrap_or(SITES * scale);
    // Counts not given follow the real suite's ratios: 5 sites per class,
    // 35 router files per 581 operations.
    let classes = args.classes.unwrap_or(sites * CLASSES / SITES).max(1);
    let files = args
        .router_files
        .unwrap_or((ops * model::FILES_PER_SHARD).div_ceil(OPS));

    let mut rng = rng::Rng::new(args.seed);
    let api = model::build(&mut rng, ops, files.max(2));
    fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;

    let spec_path = args.out.join("openapi.json");
    let mut spec = BufWriter::new(File::create(&spec_path)?);
    openapi::write(&mut spec, &api, args.seed)?;
    spec.write_all(b"\n")?;
    spec.flush()?;
    let spec_bytes = fs::metadata(&spec_path)?.len();

    let locust_path = args.out.join("locustfile.py");
    let mut locust = BufWriter::new(File::create(&locust_path)?);
    let ls = locustfile::write(&mut locust, &api, sites, classes, &args.alias, args.seed)?;
    locust.flush()?;

    let spec_ops = api.ops.iter().filter(|op| !op.hidden).count();
    println!(
        "spec       {:>9} operations {:>12} bytes  {}",
        spec_ops,
        spec_bytes,
        spec_path.display()
    );
    println!(
        "locustfile {:>9} sites      {:>12} bytes  {} lines, {} classes  {}",
        ls.sites,
        ls.bytes,
        ls.lines,
        ls.classes,
        locust_path.display()
    );
    if files > 0 {
        let root = args.out.join("service");
        let fs_ = fastapi::write(&root, &api, args.seed)?;
        println!(
            "routers    {:>9} files      {:>12} bytes  {} lines  {}",
            fs_.files,
            fs_.bytes,
            fs_.lines,
            root.display()
        );
    }
    Ok(())
}
