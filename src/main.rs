fn main() -> std::process::ExitCode {
    cov::run::main()
}
