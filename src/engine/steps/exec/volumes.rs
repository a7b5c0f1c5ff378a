//! A task file's secret volumes, written for the cmd steps that mount them.

use super::*;

/// Secret volumes: each file written (0600) under a private directory, mounted read-only.
pub(super) fn write_volumes(
    plan: &Plan,
    work: &Path,
    log: &RunLog,
) -> anyhow::Result<Vec<(String, PathBuf)>> {
    use base64::Engine as _;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut out = Vec::new();
    for v in &plan.volumes {
        let dir = work.join("volumes").join(&v.name);
        std::fs::create_dir_all(&dir)?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
        for (name, content) in &v.secret {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(content.trim())
                .map_err(|e| {
                    anyhow::anyhow!(
                        "volume '{}': the secret file '{name}' is not base64: {e}",
                        v.name
                    )
                })?;
            if let Ok(text) = std::str::from_utf8(&bytes) {
                log.add_secret(text.trim());
            }
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .truncate(true)
                .write(true)
                .mode(0o644)
                .open(dir.join(name))?;
            std::io::Write::write_all(&mut f, &bytes)?;
        }
        out.push((v.name.clone(), dir));
    }
    Ok(out)
}
