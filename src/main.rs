use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    acrt::host::init();
    acrt::error::install_panic_hook();
    let cli = acrt::cli::Cli::parse();
    match acrt::commands::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(acrt::error::exit_code(&err))
        }
    }
}
