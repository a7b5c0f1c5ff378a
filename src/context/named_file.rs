//! The Dockerfile or task file named with `-f`. For a local context named on the command line
//! it is the user's own file, read as docker and az read it: an absolute path as given, a
//! relative one from the current directory, else the context's. Anywhere else (a git or
//! tarball context, a task file's build step) the path comes from someone else and stays
//! inside the context.

use std::path::{Path, PathBuf};

use crate::error::{Result, failed, invalid};
use crate::model::ContextLocation;

/// What to store for `-f given` with the context `context` the user named: for a local
/// context, a path relative to the context when the file is inside it, else the file's
/// absolute path; a relative path that names no file in the current directory is the
/// context's, kept as given. For any other context, `given` as it is.
pub fn user_file(given: &str, context: &ContextLocation) -> Result<String> {
    let ContextLocation::Local(context_dir) = context else {
        return Ok(given.to_string());
    };
    let context_dir = Path::new(context_dir);
    let named = Path::new(given);
    let on_host = if named.is_absolute() {
        named.to_path_buf()
    } else {
        let from_cwd = std::env::current_dir()?.join(named);
        if !from_cwd.is_file() {
            return Ok(given.to_string());
        }
        from_cwd
    };
    let file = on_host.canonicalize().map_err(|e| {
        invalid(format!(
            "-f {given}: {e}; give a file that exists (a path relative to the current directory, \
             or absolute)"
        ))
    })?;
    if !file.is_file() {
        return Err(invalid(format!("-f {given}: not a file")));
    }
    let root = context_dir.canonicalize()?;
    Ok(match file.strip_prefix(&root) {
        Ok(inside) => inside.to_string_lossy().into_owned(),
        Err(_) => file.to_string_lossy().into_owned(),
    })
}

/// Where a run reads the file stored as `path` for the context at `location` (fetched into
/// `root`): an absolute path is the user's own file, for a local context only; anything else
/// resolves inside `root`.
pub(super) fn locate(
    location: &ContextLocation,
    root: &Path,
    path: &str,
    what: &str,
) -> Result<PathBuf> {
    let named = Path::new(path);
    if named.is_absolute() && matches!(location, ContextLocation::Local(_)) {
        return Ok(named.to_path_buf());
    }
    super::resolve_inside(root, path, what)
}

/// Reads a Dockerfile named with `-f` (see [`locate`]); its path and its text.
pub fn read_dockerfile_named(
    location: &ContextLocation,
    root: &Path,
    path: &str,
) -> Result<(PathBuf, String)> {
    let file = locate(location, root, path, "the Dockerfile")?;
    let text = super::decode_dockerfile(read(&file, path, "the Dockerfile")?, path)?;
    Ok((file, text))
}

/// Reads a task file named with `-f` (see [`locate`]).
pub fn read_task_file_named(location: &ContextLocation, root: &Path, path: &str) -> Result<String> {
    let file = locate(location, root, path, "the task file")?;
    String::from_utf8(read(&file, path, "the task file")?).map_err(|_| {
        invalid(format!(
            "the task file '{path}' is not UTF-8 text; save it as UTF-8"
        ))
    })
}

fn read(file: &Path, path: &str, what: &str) -> Result<Vec<u8>> {
    std::fs::read(file).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            invalid(format!("{what} '{path}' is not in the context; check -f"))
        } else {
            failed(format!("cannot read {what} '{path}': {e}"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absolute_path_is_the_users_own_for_a_local_context_only() {
        let outside = tempfile::tempdir().unwrap();
        let context = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("Dockerfile"), "FROM scratch\n").unwrap();
        std::fs::write(context.path().join("Dockerfile"), "FROM inside\n").unwrap();
        let abs = outside.path().join("Dockerfile");
        let abs = abs.to_str().unwrap();
        let local = ContextLocation::Local(context.path().display().to_string());
        let stored = user_file(abs, &local).unwrap();
        assert_eq!(
            stored,
            outside
                .path()
                .canonicalize()
                .unwrap()
                .join("Dockerfile")
                .to_str()
                .unwrap()
        );
        let inside = context.path().join("Dockerfile");
        assert_eq!(
            user_file(inside.to_str().unwrap(), &local).unwrap(),
            "Dockerfile"
        );
        let (_, text) = read_dockerfile_named(&local, context.path(), &stored).unwrap();
        assert_eq!(text, "FROM scratch\n");
        let git = ContextLocation::parse("https://example.com/r.git");
        let err = read_dockerfile_named(&git, context.path(), &stored).unwrap_err();
        assert!(err.to_string().contains("outside the context"), "{err}");
        assert!(user_file("/no/such/Dockerfile", &local).is_err());
        assert_eq!(user_file(abs, &git).unwrap(), abs);
    }
}
