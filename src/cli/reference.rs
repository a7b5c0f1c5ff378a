//! The command reference in docs/commands.md, generated from the clap definitions.

use std::fmt::Write as _;

const WIDTH: usize = 100;

/// Markdown with one section per command: its full `--help`.
pub fn markdown() -> String {
    let mut root = super::command().term_width(WIDTH);
    root.build();
    let mut out = String::from(
        "# acrt command reference\n\n\
         Generated from the command definitions (`src/cli/`); do not edit by hand. \
         Regenerate with `scripts/generate`.\n",
    );
    write_command(&root, "acrt", &mut out);
    out
}

fn write_command(cmd: &clap::Command, path: &str, out: &mut String) {
    let help = cmd.clone().term_width(WIDTH).render_long_help().to_string();
    let help: String = help
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    let _ = write!(out, "\n## {path}\n\n```text\n{help}```\n");
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        write_command(sub, &format!("{path} {}", sub.get_name()), out);
    }
}
