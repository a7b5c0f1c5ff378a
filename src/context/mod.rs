//! Fetching a build context: a local directory, a git repository (`URL#branch:folder`), an
//! http(s) tarball, or nothing (`/dev/null`).

use anyhow::Context as _;
use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use crate::error::{Result, failed, invalid};
use crate::model::ContextLocation;

/// A context ready to build from. Temporary copies are removed when this is dropped.
pub struct FetchedContext {
    pub dir: PathBuf,
    pub commit: Option<String>,
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
                branch: None,
                _temp: None,
            })
        }
        ContextLocation::Git {
            url,
            branch,
            folder,
        } => clone_git(url, branch.as_deref(), folder.as_deref(), git_token, work),
        ContextLocation::Tarball(url) => download_tarball(url, work).await,
        ContextLocation::Oci(r) => Err(invalid(format!(
            "oci:// contexts ({r}) are not supported yet; use a local directory, a git URL or a tarball URL"
        ))),
    }
}

fn clone_git(
    url: &str,
    branch: Option<&str>,
    folder: Option<&str>,
    token: Option<&str>,
    work: &Path,
) -> Result<FetchedContext> {
    let temp = tempfile::Builder::new().prefix("git-").tempdir_in(work)?;
    let checkout = temp.path().join("src");
    let git_program = crate::host::program("git", "apt-get install git")?;
    let mut cmd = crate::host::std_command(&git_program);
    cmd.args(["clone", "--quiet", "--depth", "1", "--single-branch"]);
    if let Some(b) = branch {
        cmd.args(["--branch", b]);
    }
    cmd.arg("--").arg(url).arg(&checkout);
    cmd.env("GIT_TERMINAL_PROMPT", "0");
    // The token reaches git through an askpass helper that reads it from the environment, so
    // it is never in an argument list.
    if let Some(token) = token {
        let askpass = temp.path().join("askpass.sh");
        std::fs::write(
            &askpass,
            "#!/bin/sh\ncase \"$1\" in Username*) echo x-access-token;; *) echo \"$ACRT_GIT_TOKEN\";; esac\n",
        )?;
        std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o700))?;
        cmd.env("GIT_ASKPASS", &askpass)
            .env("ACRT_GIT_TOKEN", token);
    }
    let out = cmd
        .output()
        .context("cannot run git: install it (apt-get install git)")?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(failed(format!(
            "cannot clone {url}{}: {}; check the URL, the branch and the access token",
            branch.map(|b| format!(" (branch {b})")).unwrap_or_default(),
            stderr.trim()
        )));
    }
    let git = |args: &[&str]| -> Result<String> {
        let out = crate::host::std_command(&git_program)
            .arg("-C")
            .arg(&checkout)
            .args(args)
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "HEAD"])?;
    let branch = match branch {
        Some(b) => b.to_string(),
        None => git(&["rev-parse", "--abbrev-ref", "HEAD"])?,
    };
    let dir = match folder {
        Some(f) => {
            let d = checkout.join(f);
            if !d.is_dir() || !is_inside(&d, &checkout) {
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
        branch: Some(branch),
        _temp: Some(temp),
    })
}

async fn download_tarball(url: &str, work: &Path) -> Result<FetchedContext> {
    let temp = tempfile::Builder::new()
        .prefix("tarball-")
        .tempdir_in(work)?;
    let response = reqwest::get(url)
        .await
        .with_context(|| format!("cannot download the context {url}"))?;
    if !response.status().is_success() {
        return Err(failed(format!(
            "cannot download the context {url}: HTTP {}",
            response.status()
        )));
    }
    let archive_path = temp.path().join("context.tar");
    let mut file = std::fs::File::create(&archive_path)?;
    let mut response = response;
    while let Some(chunk) = response
        .chunk()
        .await
        .with_context(|| format!("download of {url} broke off"))?
    {
        file.write_all(&chunk)?;
    }
    drop(file);
    let dir = temp.path().join("src");
    std::fs::create_dir(&dir)?;
    unpack(&archive_path, &dir).with_context(|| format!("cannot unpack the context {url}"))?;
    Ok(FetchedContext {
        dir,
        commit: None,
        branch: None,
        _temp: Some(temp),
    })
}

/// Unpacks a .tar or .tar.gz, refusing any entry (or link) that would land outside `dir`.
pub fn unpack(archive: &Path, dir: &Path) -> Result<()> {
    let mut head = [0u8; 2];
    {
        use std::io::Read as _;
        let _ = std::fs::File::open(archive)?.read(&mut head)?;
    }
    let file = std::fs::File::open(archive)?;
    let reader: Box<dyn std::io::Read> = if head == [0x1f, 0x8b] {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut tar = tar::Archive::new(reader);
    for entry in tar.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.into_owned();
        if escapes(&path) {
            return Err(invalid(format!(
                "the tarball entry '{}' escapes the context; refusing the tarball",
                path.display()
            )));
        }
        if let Some(target) = entry.link_name()?
            && (target.is_absolute()
                || escapes(&path.parent().unwrap_or(Path::new("")).join(&target)))
        {
            return Err(invalid(format!(
                "the tarball link '{}' points outside the context ({}); refusing the tarball",
                path.display(),
                target.display()
            )));
        }
        if !entry.unpack_in(dir)? {
            return Err(invalid(format!(
                "the tarball entry '{}' escapes the context; refusing the tarball",
                path.display()
            )));
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

fn is_inside(path: &Path, root: &Path) -> bool {
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) => p.starts_with(r),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_paths() {
        assert!(!escapes(Path::new("a/b/../c")));
        assert!(escapes(Path::new("../etc/passwd")));
        assert!(escapes(Path::new("a/../../b")));
        assert!(escapes(Path::new("/etc/passwd")));
    }

    #[test]
    fn unpack_refuses_escaping_entries() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("bad.tar");
        {
            let mut builder = tar::Builder::new(std::fs::File::create(&archive).unwrap());
            let mut header = tar::Header::new_gnu();
            let data = b"x";
            header.set_size(1);
            header.set_mode(0o644);
            // Write the raw name: tar's own setter refuses '..'.
            let name = b"../evil";
            header.as_old_mut().name[..name.len()].copy_from_slice(name);
            header.set_cksum();
            builder.append(&header, &data[..]).unwrap();
            builder.finish().unwrap();
        }
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let err = unpack(&archive, &out).unwrap_err().to_string();
        assert!(err.contains("escapes"), "{err}");
        assert!(!dir.path().join("evil").exists());
    }
}
