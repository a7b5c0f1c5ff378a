//! `acrt completion SHELL`: completion scripts generated from the clap definitions.

use clap_complete::Shell;

use crate::error::Result;
use crate::output::CommandOutput;

pub fn completion(shell: Shell) -> Result<CommandOutput> {
    Ok(CommandOutput::Text(script(shell)))
}

/// The completion script for one shell, as committed under completions/.
pub fn script(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "acrt", &mut buf);
    String::from_utf8(buf).expect("completion scripts are UTF-8")
}

/// The file name each shell's script is committed under in completions/.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "acrt.bash",
        Shell::Zsh => "_acrt",
        Shell::Fish => "acrt.fish",
        Shell::PowerShell => "_acrt.ps1",
        Shell::Elvish => "acrt.elv",
        _ => "acrt.completion",
    }
}
