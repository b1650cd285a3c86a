//! The `tamga` binary: parses arguments, calls the library, maps the result to an exit code.

fn main() {
    std::process::exit(tamga::cli::run(std::env::args_os()));
}
