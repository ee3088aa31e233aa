//! Stage benchmarks (criterion): tokenizer, spec parse, scanner, router
//! reader, matcher index and lookups, each on inputs of the real size
//! (581 operations, an 8,000-line locustfile, 35 router files) made in
//! memory by the seeded generator in `examples/generate`.
//!
//! ```sh
//! cargo bench --bench stages
//! ```

#![allow(dead_code)]

#[path = "../examples/generate/fastapi.rs"]
mod fastapi;
#[path = "../examples/generate/locustfile.rs"]
mod locustfile;
#[path = "../examples/generate/model.rs"]
mod model;
#[path = "../examples/generate/openapi.rs"]
mod openapi;
#[path = "../examples/generate/rng.rs"]
mod rng;
#[path = "../examples/generate/words.rs"]
mod words;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use cov::matcher::{Index, Lookup, MatchOptions};
use cov::python::{tokenize, Source};

const SEED: u64 = 1;

struct Inputs {
    spec: Vec<u8>,
    locustfile: String,
    routers: tempfile::TempDir,
    router_bytes: u64,
}

fn inputs() -> Inputs {
    let mut rng = rng::Rng::new(SEED);
    let api = model::build(&mut rng, 581, model::FILES_PER_SHARD);
    let mut spec = Vec::new();
    openapi::write(&mut spec, &api, SEED).expect("spec to memory");
    let mut locust = Vec::new();
    locustfile::write(&mut locust, &api, 400, 80, "/v1", SEED).expect("locustfile to memory");
    let routers = tempfile::tempdir().expect("temporary directory");
    let stats = fastapi::write(routers.path(), &api, SEED).expect("router tree");
    Inputs {
        spec,
        locustfile: String::from_utf8(locust).expect("generated text is UTF-8"),
        routers,
        router_bytes: stats.bytes as u64,
    }
}

fn stages(c: &mut Criterion) {
    let inp = inputs();
    let mut g = c.benchmark_group("stage");
    g.measurement_time(Duration::from_secs(3));
    g.sample_size(30);

    g.throughput(Throughput::Bytes(inp.locustfile.len() as u64));
    g.bench_function("tokenizer", |b| {
        b.iter(|| tokenize(black_box(&inp.locustfile)))
    });
    g.bench_function("scanner", |b| {
        b.iter(|| cov::scanner::scan_source("locustfile.py", black_box(&inp.locustfile)))
    });

    g.throughput(Throughput::Bytes(inp.spec.len() as u64));
    g.bench_function("spec_parse", |b| {
        b.iter(|| cov::spec::parse(black_box(&inp.spec), "openapi.json"))
    });

    g.throughput(Throughput::Bytes(inp.router_bytes));
    let dirs = vec![inp.routers.path().to_path_buf()];
    g.bench_function("router_reader", |b| {
        b.iter(|| cov::routes::read_routes(black_box(&dirs)))
    });

    let spec = cov::spec::parse(&inp.spec, "openapi.json").expect("generated spec parses");
    let scan = cov::scanner::scan_source(
        "locustfile.py",
        &Source::from_bytes(inp.locustfile.as_bytes()).text,
    );
    let aliases = vec!["/v1".to_string()];
    let opts = MatchOptions {
        aliases: &aliases,
        strict_slashes: false,
        catch_all: &[],
    };
    g.throughput(Throughput::Elements(spec.endpoints.len() as u64));
    g.bench_function("matcher_index", |b| {
        b.iter(|| Index::build(black_box(&spec), &opts))
    });

    let index = Index::build(&spec, &opts);
    let calls: Vec<_> = scan
        .sites
        .iter()
        .filter_map(|s| Some((s.method?, s.url.clone()?)))
        .collect();
    g.throughput(Throughput::Elements(calls.len() as u64));
    g.bench_function("matcher_lookups", |b| {
        b.iter_batched(
            || (),
            |()| {
                calls
                    .iter()
                    .filter(|(m, u)| matches!(index.lookup(*m, u), Lookup::Matched { .. }))
                    .count()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
