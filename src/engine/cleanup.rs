//! What a run leaves on the machine, and its removal. Each run works in its own directory
//! (`<state>/work/<registry>/<run id>`, 0700: it holds the auth file, secret files and the
//! builder's output). A run that ends removes its directory; one that was killed, timed out
//! or cancelled is cleaned by whoever notices it first: its process group asked to stop (a
//! builder let go removes its own containers), the containers its cmd steps made (recorded by
//! id as they are made) removed, its directory removed.

use std::path::{Path, PathBuf};

use super::log::safe_name;
use super::process::stop_groups_blocking;
use crate::error::Result;
use crate::model::RunKey;
use crate::store::Store;

/// The ids (never names: buildah reuses those) of the containers a run's steps made, one a
/// line.
const CONTAINERS: &str = "containers";

/// How the cid files a cmd step gives `buildah from` start: what a cleanup reads them by.
pub const CID_FILE_PREFIX: &str = "cid-";

/// Notes a container a run made, for its removal should the run be stopped.
pub fn record_container(work: &Path, id: &str) {
    use std::io::Write as _;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(work.join(CONTAINERS))
    {
        let _ = writeln!(f, "{id}");
    }
}

/// The work directory of a run.
pub fn work_dir(state_dir: &Path, key: &RunKey) -> PathBuf {
    state_dir
        .join("work")
        .join(safe_name(&key.registry))
        .join(&key.run_id)
}

/// A run's work directory, created 0700 (and its parents), removed when dropped.
pub struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    pub fn create(state_dir: &Path, key: &RunKey) -> Result<WorkDir> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let path = work_dir(state_dir, key);
        let _ = std::fs::remove_dir_all(&path);
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&path)?;
        for dir in [
            state_dir.join("work"),
            path.parent().unwrap_or(&path).to_path_buf(),
        ] {
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(WorkDir { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Empties it for another attempt of the run's build (on another builder): the first
    /// attempt's context, auth files and pinned Dockerfile go.
    pub fn renew(&self) -> Result<()> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::remove_dir_all(&self.path)?;
        std::fs::DirBuilder::new().mode(0o700).create(&self.path)?;
        Ok(())
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Cleans what a run that did not end by itself left: its process group, the containers its
/// steps recorded, and its work directory.
pub fn clean_up(store: &Store, key: &RunKey) -> Result<()> {
    // Asked to stop first: a builder that is let go removes its own containers.
    let groups = store.run_groups(key)?;
    stop_groups_blocking(&groups, std::time::Duration::from_secs(10));
    let dir = work_dir(store.dir(), key);
    if !dir.exists() {
        return Ok(());
    }
    remove_all_containers(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The containers a run's steps made, by id: those recorded once made, and those whose
/// `buildah from` was given a cid file in the run's work dir before it started (a run killed
/// while its container was being made leaves its id there).
fn recorded_containers(work: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_to_string(work.join(CONTAINERS))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    for entry in std::fs::read_dir(work).into_iter().flatten().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(CID_FILE_PREFIX)
            && let Ok(id) = std::fs::read_to_string(entry.path())
        {
            let id = id.trim().to_string();
            if !id.is_empty() && !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// Removes the containers a run's steps made and did not remove themselves: what a stopped
/// step left, and a detached step's, whose container runs until its run ends.
pub fn remove_containers(work: &Path) {
    remove(recorded_containers(work));
    crate::builder::remove_run_containers(work);
}

/// Removes what [`remove_containers`] does and the working containers of a build stopped
/// where buildah does not remove them (outside a RUN step), found by the run's marker: for a
/// run that did not end by itself.
pub fn remove_all_containers(work: &Path) {
    let mut ids = recorded_containers(work);
    if let Some(buildah) = crate::host::find("buildah") {
        for id in crate::builder::containers_of_run(&buildah, work) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    remove(ids);
    crate::builder::remove_run_containers(work);
}

fn remove(ids: Vec<String>) {
    if !ids.is_empty()
        && let Some(buildah) = crate::host::find("buildah")
    {
        let _ = crate::host::std_command(&buildah)
            .arg("rm")
            .args(&ids)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
}

/// Cleans the work directories of runs that have ended (or no longer exist).
pub fn sweep(store: &Store) -> Result<()> {
    let root = store.dir().join("work");
    let Ok(registries) = std::fs::read_dir(&root) else {
        return Ok(());
    };
    for registry_dir in registries.flatten() {
        for run_dir in std::fs::read_dir(registry_dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let run_id = run_dir.file_name().to_string_lossy().into_owned();
            let registry = store
                .registries_with_run(&run_id)?
                .into_iter()
                .find(|r| safe_name(r) == registry_dir.file_name().to_string_lossy());
            match registry {
                Some(registry) => {
                    let key = RunKey::new(&registry, &run_id);
                    let ended = store.get_run(&key)?.is_none_or(|r| r.run.status.is_final());
                    if ended {
                        clean_up(store, &key)?;
                    }
                }
                None => {
                    let _ = std::fs::remove_dir_all(run_dir.path());
                }
            }
        }
    }
    Ok(())
}
