/// mimalloc: `cov` makes hundreds of thousands of small allocations (tokens'
/// names, syntax trees, values) and frees them all at the end; the system
/// allocator spends a quarter of the run on them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cov::run::main()
}
