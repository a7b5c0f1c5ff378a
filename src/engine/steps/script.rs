//! Secrets for a cmd step without putting them on a command line: the step's environment and
//! command are written to a private script that the container's /bin/sh runs, so that no
//! secret is in the argument list of the process acrt starts (`buildah run ...`), which any
//! local user can read in /proc.

use std::path::{Path, PathBuf};

/// Where the script's directory is mounted in the container.
pub const MOUNT: &str = "/run/acrt-step";

/// A step's command after secrets were moved out of its arguments.
pub struct Launch {
    /// The command to give the runtime.
    pub argv: Vec<String>,
    /// Environment entries that may go on the runtime's command line (no secret in them).
    pub plain_env: Vec<(String, String)>,
    /// A directory to mount read-only at [`MOUNT`], when a script was written.
    pub script_dir: Option<PathBuf>,
}

/// `argv` and `env` as they may be passed: unchanged when no secret is in them, else through
/// a script (0600, in a 0700 directory of the run's work dir) that exports the environment
/// and execs the command.
pub fn launch(
    work: &Path,
    step_id: &str,
    argv: &[String],
    env: &[(String, String)],
    holds_secret: impl Fn(&str) -> bool,
) -> std::io::Result<Launch> {
    let secret_in_args = argv.iter().any(|a| holds_secret(a));
    let secret_in_env = env.iter().any(|(_, v)| holds_secret(v));
    if !secret_in_args && !secret_in_env {
        return Ok(Launch {
            argv: argv.to_vec(),
            plain_env: env.to_vec(),
            script_dir: None,
        });
    }
    let mut script = String::from("# written by acrt for one step; removed with the run\n");
    let mut plain_env = Vec::new();
    for (k, v) in env {
        if holds_secret(v) {
            script.push_str(&format!("export {k}={}\n", quote(v)));
        } else {
            plain_env.push((k.clone(), v.clone()));
        }
    }
    script.push_str("exec");
    for a in argv {
        script.push(' ');
        script.push_str(&quote(a));
    }
    script.push('\n');
    let dir = write_private(work, step_id, &script)?;
    Ok(Launch {
        argv: vec!["/bin/sh".into(), format!("{MOUNT}/run.sh")],
        plain_env,
        script_dir: Some(dir),
    })
}

fn write_private(work: &Path, step_id: &str, script: &str) -> std::io::Result<PathBuf> {
    let safe: String = step_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let dir = work.join(format!("step-script-{safe}-{}", std::process::id()));
    crate::host::write_private(&dir, "run.sh", script.as_bytes())?;
    Ok(dir)
}

/// A word in single quotes for sh: `'` becomes `'\''`.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_move_to_a_private_script() {
        let work = tempfile::tempdir().unwrap();
        let holds = |t: &str| t.contains("s3cret");
        let argv = vec!["sh".to_string(), "-c".into(), "echo it's s3cret".into()];
        let env = vec![
            ("TOKEN".to_string(), "s3cret".to_string()),
            ("A".into(), "b".into()),
        ];
        let l = launch(work.path(), "step 1", &argv, &env, holds).unwrap();
        assert_eq!(l.argv, ["/bin/sh", "/run/acrt-step/run.sh"]);
        assert_eq!(l.plain_env, [("A".to_string(), "b".to_string())]);
        let dir = l.script_dir.unwrap();
        let text = std::fs::read_to_string(dir.join("run.sh")).unwrap();
        assert!(
            text.contains("export TOKEN='s3cret'\nexec 'sh' '-c' 'echo it'\\''s s3cret'\n"),
            "{text}"
        );
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(dir.join("run.sh"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
        let plain = launch(work.path(), "x", &argv[..2], &env[1..], holds).unwrap();
        assert!(plain.script_dir.is_none());
    }
}
