//! The programs acrt starts on the host and the environment they get. Both come from acrt's
//! own environment as it was when acrt started, never from a run's input: a build argument
//! named PATH or LD_PRELOAD is data for the build, not a setting of the builder.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Result, invalid};

/// acrt's environment when it started.
fn startup_env() -> &'static Vec<(OsString, OsString)> {
    static ENV: OnceLock<Vec<(OsString, OsString)>> = OnceLock::new();
    ENV.get_or_init(|| std::env::vars_os().collect())
}

/// Takes the snapshot of acrt's environment; `main` calls it before anything else runs.
pub fn init() {
    let _ = startup_env();
}

/// The environment a host program starts from: acrt's own as it started.
pub fn base_env() -> impl Iterator<Item = (&'static OsString, &'static OsString)> {
    startup_env().iter().map(|(k, v)| (k, v))
}

fn startup_path() -> Option<&'static OsString> {
    startup_env()
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v)
}

/// The user acrt runs as, for az's `systemData.createdBy`: USER or LOGNAME as acrt started
/// (cron sets LOGNAME), else the name /etc/passwd gives its user id, else the id itself.
pub fn user_name() -> String {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let from_env = startup_env()
            .iter()
            .filter(|(k, v)| (k == "USER" || k == "LOGNAME") && !v.is_empty())
            .min_by_key(|(k, _)| k != "USER")
            .map(|(_, v)| v.to_string_lossy().into_owned());
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        from_env
            .or_else(|| passwd_name(uid))
            .unwrap_or_else(|| format!("uid {uid}"))
    })
    .clone()
}

fn passwd_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)?.parse::<u32>().ok()? == uid).then(|| name.to_string())
    })
}

/// The absolute path of `program` on acrt's own PATH (as it started), if it is there.
pub fn find(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = Path::new(program);
        return (p.is_absolute() && is_executable(p)).then(|| p.to_path_buf());
    }
    let paths = startup_path()?;
    std::env::split_paths(paths)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(program))
        .find(|p| is_executable(p))
}

/// Like [`find`], with an error that says how to get the program.
pub fn program(program: &str, install_hint: &str) -> Result<PathBuf> {
    find(program).ok_or_else(|| {
        invalid(format!(
            "{program} is not installed (not found on PATH): {install_hint}"
        ))
    })
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.is_file() && std::fs::metadata(p).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

/// A command for a host program: its absolute path, acrt's own environment.
pub fn command(program: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(program);
    cmd.env_clear().envs(base_env());
    cmd
}

/// Like [`command`], synchronous.
pub fn std_command(program: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.env_clear().envs(base_env());
    cmd
}

/// Why `cmd` could not be started, and what to do: not installed (`install_hint` says how to
/// get it), not executable, or an argument list and environment too long for the system
/// (E2BIG, with their sizes); any other reason as the system gave it.
pub fn cannot_start(
    cmd: &std::process::Command,
    e: &std::io::Error,
    install_hint: &str,
) -> anyhow::Error {
    let path = Path::new(cmd.get_program()).display();
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => format!("it is not installed (not found); {install_hint}"),
        std::io::ErrorKind::PermissionDenied => {
            "it is not executable by this user (permission denied); check its permissions, or \
             install it again"
                .to_string()
        }
        _ if e.raw_os_error() == Some(libc::E2BIG) => too_long(cmd),
        _ => format!("{e}"),
    };
    crate::error::failed(format!("cannot start {path}: {reason}"))
}

/// What the system refused in an argument list too long (E2BIG): the sizes, the limits, and
/// what to do instead.
fn too_long(cmd: &std::process::Command) -> String {
    let args: Vec<usize> = cmd.get_args().map(|a| a.len() + 1).collect();
    let env: usize = cmd
        .get_envs()
        .filter_map(|(k, v)| v.map(|v| k.len() + v.len() + 2))
        .sum();
    // SAFETY: sysconf has no preconditions.
    let arg_max = unsafe { libc::sysconf(libc::_SC_ARG_MAX) };
    format!(
        "its argument list and environment are too long for the system (E2BIG): {} of \
         arguments (the longest {}) and {} of environment, where Linux takes at most 128 KiB in \
         one argument and {} in all; pass large values in a file (for a build, a file of the \
         context) rather than as arguments",
        size(args.iter().sum()),
        size(args.iter().copied().max().unwrap_or(0)),
        size(env),
        size(usize::try_from(arg_max).unwrap_or(0)),
    )
}

/// A byte count for people: B, KiB or MiB.
fn size(bytes: usize) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
    }
}

/// Writes `bytes` to `dir/name`, the file 0600 in a 0700 directory (made if missing): for
/// the secrets and scripts a run hands its builder.
pub fn write_private(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::io::Write as _;
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let path = dir.join(name);
    create_private(&path, false)?.write_all(bytes)?;
    Ok(path)
}

/// `path` opened for writing as a file only its owner may read, 0600 from its first byte
/// (never made and then narrowed): truncated if it exists, or refused if `fresh`.
pub fn create_private(path: &Path, fresh: bool) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    if fresh {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    options.write(true).mode(0o600).open(path)
}

/// Replaces `path` with `bytes` as a private file: written to a temporary file beside it,
/// synced, then renamed, so that a crash leaves the old file or the new one.
pub fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.{}", std::process::id()));
    let mut file = create_private(&tmp, false)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}

/// Refuses a secret that would travel to a builder's environment under a name the builder,
/// its libraries or its helpers read themselves. `what` names it in the message (a flag, or
/// "the secret build argument").
pub fn check_secret_env_name(what: &str, name: &str) -> Result<()> {
    if is_safe_env_name(name) {
        return Ok(());
    }
    Err(invalid(format!(
        "{what} '{name}': a secret reaches the builder through its environment, and this is a \
         name the builder or its libraries read themselves (PATH, LD_*, HOME, TMPDIR, *_PROXY, \
         CONTAINERS_*, BUILDAH_*, STORAGE_*, DOCKER_*, XDG_*, SSL_*, ...) or not a variable \
         name; give the secret another name"
    )))
}

/// Whether a secret may travel to a builder in an environment variable of this name: never
/// under a name the builder, its libraries or its helpers read themselves.
pub fn is_safe_env_name(name: &str) -> bool {
    if name.parse::<crate::model::names::EnvVarName>().is_err() {
        return false;
    }
    let upper = name.to_ascii_uppercase();
    const EXACT: &[&str] = &[
        "PATH",
        "HOME",
        "TMPDIR",
        "SHELL",
        "IFS",
        "ENV",
        "BASH_ENV",
        "CDPATH",
        "TZ",
        "LANG",
        "USER",
        "LOGNAME",
        "PWD",
        "TERM",
        "NOTIFY_SOCKET",
        "REGISTRY_AUTH_FILE",
        "NO_PROXY",
        "ALL_PROXY",
    ];
    const PREFIXES: &[&str] = &[
        "LD_",
        "LC_",
        "GO",
        "CONTAINER",
        "_CONTAINERS",
        "BUILDAH_",
        "BUILDKIT_",
        "BUILDX_",
        "PODMAN_",
        "STORAGE_",
        "DOCKER_",
        "XDG_",
        "SSL_",
        "SSH_",
        "GIT_",
        "GNUPG",
        "LISTEN_",
        "ACRT_",
    ];
    !(EXACT.contains(&upper.as_str())
        || upper.ends_with("_PROXY")
        || PREFIXES.iter().any(|p| upper.starts_with(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_id_is_named_by_the_passwd_file() {
        assert_eq!(passwd_name(0).as_deref(), Some("root"));
        assert_eq!(passwd_name(u32::MAX - 7), None);
    }

    #[test]
    fn names_a_builder_reads_are_not_safe() {
        for name in [
            "PATH",
            "LD_PRELOAD",
            "HTTP_PROXY",
            "https_proxy",
            "CONTAINERS_CONF",
            "BUILDAH_ISOLATION",
            "REGISTRY_AUTH_FILE",
            "HOME",
            "TMPDIR",
            "STORAGE_DRIVER",
            "DOCKER_CONFIG",
            "XDG_RUNTIME_DIR",
            "SSL_CERT_FILE",
            "GODEBUG",
            "A-B",
            "",
            "1X",
        ] {
            assert!(!is_safe_env_name(name), "{name}");
        }
        for name in ["TOKEN", "NPM_TOKEN", "MY_SECRET", "_x"] {
            assert!(is_safe_env_name(name), "{name}");
        }
    }

    #[test]
    fn a_program_that_cannot_start_is_explained_by_its_cause() {
        let start = |cmd: &mut std::process::Command| {
            let e = cmd.spawn().unwrap_err();
            cannot_start(cmd, &e, "install it").to_string()
        };
        let missing = start(&mut std_command(Path::new("/no/such/acrt-program")));
        assert!(
            missing.contains("not installed") && missing.contains("install it"),
            "{missing}"
        );
        let plain_file = tempfile::NamedTempFile::new().unwrap();
        let not_executable = start(&mut std_command(plain_file.path()));
        assert!(
            not_executable.contains("not executable"),
            "{not_executable}"
        );
        let sh = find("sh").unwrap();
        let too_long = start(std_command(&sh).arg("x".repeat(200 * 1024)));
        assert!(
            too_long.contains("too long") && too_long.contains("the longest 200.0 KiB"),
            "{too_long}"
        );
    }

    #[test]
    fn programs_are_found_by_absolute_path() {
        let sh = find("sh").expect("sh on PATH");
        assert!(sh.is_absolute());
        assert!(find("./sh").is_none());
        assert!(find("no-such-program-acrt").is_none());
    }
}
