//! Files generated from the clap definitions must match what is committed. Set
//! ACRT_UPDATE_GENERATED=1 (scripts/generate) to rewrite them.

use clap_complete::Shell;
use std::path::Path;

use crate::harness::{TestEnv, stdout};

fn check_generated(rel: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if std::env::var_os("ACRT_UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{rel} is stale: run scripts/generate and commit the result"
    );
}

#[test]
fn completions_are_current() {
    let env = TestEnv::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ] {
        let script = acrt::commands::completion::script(shell);
        assert!(
            script.contains("credential"),
            "{shell} script lacks subcommands"
        );
        let printed = stdout(&env.ok(&["completion", &shell.to_string()]));
        assert_eq!(
            printed, script,
            "acrt completion {shell} differs from the generator"
        );
        check_generated(
            &format!(
                "completions/{}",
                acrt::commands::completion::file_name(shell)
            ),
            &script,
        );
    }
}

#[test]
fn command_reference_is_current() {
    let reference = acrt::cli::reference::markdown();
    for section in [
        "## acrt task create",
        "## acrt task credential add",
        "## acrt task timer list",
        "## acrt configure",
    ] {
        assert!(reference.contains(section), "reference lacks {section}");
    }
    check_generated("docs/commands.md", &reference);
}

#[test]
fn help_text() {
    let env = TestEnv::new();
    insta::assert_snapshot!("help_root", stdout(&env.ok(&["--help"])));
    insta::assert_snapshot!("help_task", stdout(&env.ok(&["task", "--help"])));
    insta::assert_snapshot!(
        "help_task_create",
        stdout(&env.ok(&["task", "create", "--help"]))
    );
}
