//! Fetching a build context: a local directory, a git repository (`URL#branch:folder`), an
//! http(s) tarball, or nothing (`/dev/null`).

mod tarball;
pub use tarball::{DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, Limits, configure, parse_size, unpack};

use anyhow::Context as _;
use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use crate::error::{Result, failed, invalid};
use crate::model::{ContextLocation, SourceDateEpoch};

mod named_file;
pub use named_file::{read_dockerfile_named, read_task_file_named, user_file};

/// A context ready to build from. Temporary copies are removed when this is dropped.
pub struct FetchedContext {
    pub dir: PathBuf,
    pub commit: Option<String>,
    /// The commit's time (its committer date).
    pub commit_time: Option<SourceDateEpoch>,
    pub branch: Option<String>,
    _temp: Option<tempfile::TempDir>,
}

/// Fetches `location` into `work` (a private directory the caller removes).
pub async fn fetch(
    location: &ContextLocation,
    git_token: Option<&str>,
    work: &Path,
) -> Result<FetchedContext> {
    match location {
        ContextLocation::None => {
            let temp = tempfile::Builder::new()
                .prefix("context-")
                .tempdir_in(work)?;
            Ok(FetchedContext {
                dir: temp.path().to_path_buf(),
                commit: None,
                commit_time: None,
                branch: None,
                _temp: Some(temp),
            })
        }
        ContextLocation::Local(path) => {
            let dir = Path::new(path);
            if !dir.is_dir() {
                return Err(invalid(format!(
                    "the context directory '{path}' does not exist"
                )));
            }
            Ok(FetchedContext {
                dir: dir.canonicalize()?,
                commit: None,
                commit_time: None,
                branch: None,
                _temp: None,
            })
        }
        ContextLocation::Git {
            url,
            branch,
            folder,
        } => clone_git(url, branch.as_deref(), folder.as_deref(), git_token, work).await,
        ContextLocation::Tarball(url) => tarball::download(url, work).await,
        ContextLocation::Oci(r) => Err(invalid(format!(
            "oci:// contexts ({r}) are not supported yet; use a local directory, a git URL or a tarball URL"
        ))),
    }
}

/// The environment git gets to fetch a git context: never a prompt, and the context's
/// token, if it has one, through an askpass helper (written into `dir`, 0700) that reads it
/// from that environment, so that the token is never in an argument list or a file.
pub fn git_env(dir: &Path, token: Option<&str>) -> std::io::Result<Vec<(&'static str, OsString)>> {
    let mut env = vec![("GIT_TERMINAL_PROMPT", OsString::from("0"))];
    if let Some(token) = token {
        let askpass = dir.join("askpass.sh");
        std::fs::write(
            &askpass,
            "#!/bin/sh\ncase \"$1\" in Username*) echo x-access-token;; *) echo \"$ACRT_GIT_TOKEN\";; esac\n",
        )?;
        std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o700))?;
        env.push(("GIT_ASKPASS", askpass.into_os_string()));
        env.push(("ACRT_GIT_TOKEN", OsString::from(token)));
    }
    Ok(env)
}

/// A shallow clone, run as a child process that the run's deadline (or Ctrl-C) can stop:
/// dropping this future kills git.
async fn clone_git(
    url: &str,
    branch: Option<&str>,
    folder: Option<&str>,
    token: Option<&str>,
    work: &Path,
) -> Result<FetchedContext> {
    let temp = tempfile::Builder::new().prefix("git-").tempdir_in(work)?;
    let checkout = temp.path().join("src");
    let git_program = crate::host::program("git", "apt-get install git")?;
    let mut cmd = crate::host::command(&git_program);
    cmd.kill_on_drop(true)
        .stdin(std::process::Stdio::null())
        .args(["clone", "--quiet", "--depth", "1", "--single-branch"]);
    if let Some(b) = branch {
        cmd.args(["--branch", b]);
    }
    cmd.arg("--").arg(url).arg(&checkout);
    cmd.envs(git_env(temp.path(), token)?);
    let out = cmd
        .output()
        .await
        .context("cannot run git: install it (apt-get install git)")?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(failed(format!(
            "cannot clone {url}{}: {}; check the URL, the branch and the access token",
            branch.map(|b| format!(" (branch {b})")).unwrap_or_default(),
            stderr.trim()
        )));
    }
    let git = async |args: &[&str]| -> Result<String> {
        let out = crate::host::command(&git_program)
            .kill_on_drop(true)
            .arg("-C")
            .arg(&checkout)
            .args(args)
            .output()
            .await?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "HEAD"]).await?;
    let commit_time = git(&["log", "-1", "--format=%ct", "HEAD"])
        .await?
        .parse::<u64>()
        .ok()
        .map(SourceDateEpoch::new);
    let branch = match branch {
        Some(b) => b.to_string(),
        None => git(&["rev-parse", "--abbrev-ref", "HEAD"]).await?,
    };
    let dir = match folder {
        Some(f) => {
            let d = resolve_inside(&checkout, f, "the folder")?;
            if !d.is_dir() {
                return Err(invalid(format!(
                    "the folder '{f}' is not in {url} at {branch}"
                )));
            }
            d
        }
        None => checkout,
    };
    Ok(FetchedContext {
        dir,
        commit: Some(commit),
        commit_time,
        branch: Some(branch),
        _temp: Some(temp),
    })
}

/// Opens `rel` beneath `root` in one lookup of the kernel (openat2 with `RESOLVE_BENEATH`):
/// a check with [`resolve_inside`] and a later open would let a step running beside the one
/// that asked swap a directory on the way for a link out of `root` in between; here any link
/// that leads out fails the open. `O_NONBLOCK` always, so a FIFO or a device left in `root`
/// never blocks the open (the caller refuses what is not a regular file). Where the kernel
/// has no openat2 (before Linux 5.6), the path `resolve_inside` checked is opened as it is.
pub fn open_beneath(root: &Path, rel: &str, flags: libc::c_int) -> std::io::Result<std::fs::File> {
    use std::os::fd::{AsRawFd, FromRawFd};
    use std::os::unix::ffi::OsStrExt;
    let flags = flags | libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY;
    let dir = std::fs::File::open(root)?;
    let name = std::ffi::CString::new(Path::new(rel).as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    // SAFETY: open_how is plain data (zero is every field's "none"), filled in below.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = flags as u64;
    how.mode = if flags & libc::O_CREAT != 0 { 0o666 } else { 0 };
    how.resolve = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;
    // SAFETY: openat2(2) with a live directory fd, a NUL-terminated path and an open_how of
    // the size given; the fd it returns is owned by the File made from it.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            dir.as_raw_fd(),
            name.as_ptr(),
            &how as *const libc::open_how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if fd >= 0 {
        // SAFETY: a new fd nobody else owns.
        return Ok(unsafe { std::fs::File::from_raw_fd(fd as libc::c_int) });
    }
    let error = std::io::Error::last_os_error();
    if error.raw_os_error() != Some(libc::ENOSYS) {
        return Err(error);
    }
    let path = std::ffi::CString::new(root.join(rel).as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    // SAFETY: open(2) with a NUL-terminated path; the fd is owned by the File made from it.
    let fd = unsafe { libc::open(path.as_ptr(), flags, 0o666 as libc::c_uint) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: a new fd nobody else owns.
    Ok(unsafe { std::fs::File::from_raw_fd(fd) })
}

/// Resolves `rel` inside `root`, following symlinks only while they stay inside it: an
/// absolute link, or a `..` that climbs above the root (however many links it takes), is
/// refused. `what` names the file in messages ("the Dockerfile", "the task file").
pub fn resolve_inside(root: &Path, rel: &str, what: &str) -> Result<PathBuf> {
    match walk_inside(root, rel)? {
        Ok(path) => Ok(path),
        Err(how) => Err(invalid(format!(
            "{what} '{rel}' is outside the context ({how}); acrt reads only files inside the context"
        ))),
    }
}

/// The walk behind [`resolve_inside`]: the path, or why it leaves the root.
fn walk_inside(root: &Path, rel: &str) -> Result<std::result::Result<PathBuf, String>> {
    let root = root.canonicalize()?;
    let rel_path = Path::new(rel);
    if rel_path.is_absolute() {
        return Ok(Err(
            "an absolute path; give a path relative to the context".into()
        ));
    }
    let mut pending: Vec<std::ffi::OsString> = rel_path
        .components()
        .rev()
        .map(|c| c.as_os_str().to_os_string())
        .collect();
    let mut current = root.clone();
    let mut links = 0;
    while let Some(part) = pending.pop() {
        match Path::new(&part).components().next() {
            None | Some(Component::CurDir) => continue,
            Some(Component::ParentDir) => {
                if current == root {
                    return Ok(Err("it climbs above the context's root".into()));
                }
                current.pop();
                continue;
            }
            Some(Component::RootDir | Component::Prefix(_)) => {
                return Ok(Err("an absolute path".into()));
            }
            Some(Component::Normal(_)) => {}
        }
        let next = current.join(&part);
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                if links > 40 {
                    return Ok(Err("too many levels of symbolic links".into()));
                }
                let target = std::fs::read_link(&next)?;
                if target.is_absolute() {
                    return Ok(Err(format!(
                        "'{}' is a symbolic link to the absolute path {}",
                        next.strip_prefix(&root).unwrap_or(&next).display(),
                        target.display()
                    )));
                }
                pending.extend(
                    target
                        .components()
                        .rev()
                        .map(|c| c.as_os_str().to_os_string()),
                );
            }
            _ => current = next,
        }
    }
    Ok(Ok(current))
}

/// Reads a file of the context that acrt itself needs (a Dockerfile, a task file, a values
/// file), resolved inside the context.
pub fn read_file(root: &Path, rel: &str, what: &str, hint: &str) -> Result<Vec<u8>> {
    let path = resolve_inside(root, rel, what)?;
    std::fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            invalid(format!("{what} '{rel}' is not in the context; {hint}"))
        } else {
            failed(format!("cannot read {what} '{rel}': {e}"))
        }
    })
}

/// Like [`read_file`], for a file that must be UTF-8 text (a task file, a values file).
pub fn read_text(root: &Path, rel: &str, what: &str, hint: &str) -> Result<String> {
    let bytes = read_file(root, rel, what, hint)?;
    String::from_utf8(bytes).map_err(|e| {
        invalid(format!(
            "{what} '{rel}' is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Reads a Dockerfile inside the context. Like BuildKit, acrt takes its bytes as they are:
/// bytes that are not UTF-8 (in a comment, say) become replacement characters, not an error.
pub fn read_dockerfile(root: &Path, rel: &str) -> Result<String> {
    decode_dockerfile(read_file(root, rel, "the Dockerfile", "check -f")?, rel)
}

/// A Dockerfile's bytes as text, as BuildKit takes them.
fn decode_dockerfile(bytes: Vec<u8>, rel: &str) -> Result<String> {
    // BuildKit reads the bytes as they are: other bytes that are not UTF-8 (in a comment, a
    // RUN line) pass through; UTF-16 (NUL bytes everywhere) is no Dockerfile it can read.
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) || bytes.contains(&0) {
        return Err(invalid(format!(
            "the Dockerfile {rel} is not UTF-8 text (it looks like UTF-16, or holds NUL bytes); \
             save it as UTF-8"
        )));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Every symbolic link under `root` must resolve inside it; the first that does not is named.
fn check_links_inside(root: &Path) -> Result<()> {
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if kind.is_symlink() {
                let path = entry.path();
                let rel = path.strip_prefix(root).unwrap_or(&path);
                if let Err(how) = walk_inside(root, &rel.to_string_lossy())? {
                    return Err(invalid(format!(
                        "the tarball link '{}' resolves outside the context ({how}); refusing the tarball",
                        rel.display()
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Whether a relative path climbs above its start (`..` past the top, or absolute).
fn escapes(path: &Path) -> bool {
    let mut depth: i32 = 0;
    for c in path.components() {
        match c {
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return true,
        }
    }
    false
}

/// Local contexts are stored absolute, so that a worker or a later run finds them.
pub fn absolute_context(text: &str) -> Result<String> {
    ContextLocation::parse(text).validate()?;
    match ContextLocation::parse(text) {
        ContextLocation::Local(path) => {
            let dir = std::path::Path::new(&path);
            if !dir.is_dir() {
                return Err(invalid(format!(
                    "the context directory '{path}' does not exist; give a directory, a git URL or a tarball URL"
                )));
            }
            Ok(dir.canonicalize()?.to_string_lossy().into_owned())
        }
        _ => Ok(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_beneath_the_root_never_follows_a_link_out() {
        let root = tempfile::tempdir().unwrap();
        let (inside, outside) = (root.path().join("in"), root.path().join("out"));
        std::fs::create_dir_all(inside.join("sub")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret"), "s").unwrap();
        std::fs::write(inside.join("sub/ok"), "ok").unwrap();
        // The directory on the way is a link out, as a step could swap it in after a check.
        std::os::unix::fs::symlink(&outside, inside.join("abs")).unwrap();
        std::os::unix::fs::symlink("../out", inside.join("rel")).unwrap();
        for escape in [
            "abs/secret",
            "rel/secret",
            "../out/secret",
            "sub/../../out/secret",
        ] {
            assert!(
                open_beneath(&inside, escape, libc::O_RDONLY).is_err(),
                "{escape}"
            );
        }
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut open_beneath(&inside, "sub/../sub/ok", libc::O_RDONLY).unwrap(),
            &mut text,
        )
        .unwrap();
        assert_eq!(text, "ok");
    }

    #[test]
    fn escaping_paths() {
        assert!(!escapes(Path::new("a/b/../c")));
        assert!(escapes(Path::new("../etc/passwd")));
        assert!(escapes(Path::new("a/../../b")));
        assert!(escapes(Path::new("/etc/passwd")));
    }

    #[test]
    fn paths_resolve_inside_the_root_only() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(root.join("s")).unwrap();
        std::fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
        symlink("s/..", root.join("l0")).unwrap();
        symlink("l0/..", root.join("l1")).unwrap();
        symlink("/etc/passwd", root.join("abs")).unwrap();
        symlink("s/../Dockerfile", root.join("inside")).unwrap();
        assert!(resolve_inside(&root, "inside", "f").is_ok());
        assert!(resolve_inside(&root, "l0/Dockerfile", "f").is_ok());
        for bad in [
            "l1/root/Dockerfile",
            "abs",
            "../x",
            "/etc/passwd",
            "s/../../x",
        ] {
            let err = resolve_inside(&root, bad, "the Dockerfile")
                .unwrap_err()
                .to_string();
            assert!(err.contains("outside the context"), "{bad}: {err}");
        }
        assert!(check_links_inside(&root).is_err());
    }
}
