//! Files generated from the clap definitions (completions, the command reference, the man
//! pages) must match what is committed. Set
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

/// docs/man: a page per command (clap_mangen), e.g. `man docs/man/acrt-task-create.1`.
#[test]
fn man_pages_are_current() {
    let generated = tempfile::tempdir().unwrap();
    clap_mangen::generate_to(acrt::cli::command(), generated.path()).unwrap();
    let names = |dir: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let pages = names(generated.path());
    assert!(
        pages.contains(&"acrt-task-create.1".to_string()),
        "{pages:?}"
    );
    for page in &pages {
        let text = std::fs::read_to_string(generated.path().join(page)).unwrap();
        check_generated(&format!("docs/man/{page}"), &text);
    }
    let committed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    for stale in names(&committed_dir)
        .into_iter()
        .filter(|n| !pages.contains(n))
    {
        if std::env::var_os("ACRT_UPDATE_GENERATED").is_some() {
            std::fs::remove_file(committed_dir.join(&stale)).unwrap();
        } else {
            panic!("docs/man/{stale} is stale: run scripts/generate and commit the result");
        }
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
