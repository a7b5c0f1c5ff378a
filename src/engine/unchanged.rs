//! Whether a run changed nothing. Before pushing: a built image whose config is the config
//! of the image its task's last successful run pushed (the same digest, or the same layers
//! and settings with other times: `model::image_config`, the one rule for every builder) is
//! not pushed, and the run keeps that image's digest, unless someone moved a tag meanwhile.
//! After: every image the run has is the image the last run pushed under the same name.
//! Such a run records no push event, so that nothing downstream (watch's dependents, their
//! notifications) is started by it.

use serde_json::Value;

use super::journal::Journal;
use super::log::RunLog;
use super::{Built, Running};
use crate::builder::{ConfigRead, ProcessStep};
use crate::error::{Result, failed};
use crate::model::image::ImageRef;
use crate::model::image_config::{self, Sameness};
use crate::model::run::{ImageDescriptor, PlatformImage};
use crate::registry::RegistryClient;
use crate::registry::layout::{Child, IndexEntry};

/// What the task's last successful run pushed under every name this run pushes to: one
/// image (or index) by its digest.
pub(super) struct LastPush {
    pub(super) run_id: String,
    pub(super) digest: String,
    pub(super) images: Vec<ImageDescriptor>,
    /// Each platform's image of a multi-platform run.
    pub(super) platforms: Vec<PlatformImage>,
}

/// The last push of the run's task, when it pushed one digest under every name of `images`;
/// None for a quick build, a first run, or a run that adds a name.
pub(super) async fn last_push(r: &Running<'_>, images: &[ImageRef]) -> Option<LastPush> {
    r.spec.task.as_ref()?;
    let last = r.previous.get().await.ok()?.last.as_ref()?;
    let before = last.output_images.as_deref().unwrap_or_default();
    let mut kept = Vec::new();
    for image in images {
        let name = ImageDescriptor::of(image, None);
        kept.push(before.iter().find(|b| b.same_name(&name))?.clone());
    }
    let digest = kept.first()?.digest.clone()?;
    if kept.iter().any(|k| k.digest.as_ref() != Some(&digest)) {
        return None;
    }
    Some(LastPush {
        run_id: last.run_id.clone(),
        digest,
        images: kept,
        platforms: last.platforms.clone().unwrap_or_default(),
    })
}

/// Whether the image the builder left as `read` describes is the one of `digest` in
/// `image`'s repository. A failure to tell is logged, and counts as a change.
pub(super) async fn built_is(
    r: &Running<'_>,
    client: &RegistryClient,
    read: ConfigRead,
    image: &ImageRef,
    digest: &str,
) -> Sameness {
    let answer = async {
        let (pushed_digest, pushed) = pushed_config(client, image, digest).await?;
        if let Some(step) = &read.digest {
            let id = String::from_utf8_lossy(&captured(r, step).await?)
                .trim()
                .to_string();
            if id == pushed_digest {
                return Ok(Sameness::Identical);
            }
        }
        let bytes = (read.read)(captured(r, &read.config).await?)?;
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
        let built: Value = serde_json::from_slice(bytes)
            .map_err(|e| failed(format!("the built image's config is not JSON ({e})")))?;
        let built_digest = crate::registry::sha256_digest(bytes);
        Ok::<_, anyhow::Error>(image_config::compare(
            &built_digest,
            &built,
            &pushed_digest,
            &pushed,
        ))
    };
    judged(r.log, answer.await)
}

/// Whether the config of a platform's image in `layout` is that of `digest` (the platform's
/// image the last run pushed) in `image`'s repository.
pub(super) async fn layout_is(
    log: &RunLog,
    client: &RegistryClient,
    layout: &std::path::Path,
    image: &ImageRef,
    digest: &str,
) -> Sameness {
    let answer = async {
        let (pushed_digest, pushed) = pushed_config(client, image, digest).await?;
        let (built_digest, bytes) = crate::registry::layout::layout_config(layout)?;
        let built: Value = serde_json::from_slice(&bytes)
            .map_err(|e| failed(format!("the built image's config is not JSON ({e})")))?;
        Ok(image_config::compare(
            &built_digest,
            &built,
            &pushed_digest,
            &pushed,
        ))
    };
    judged(log, answer.await)
}

fn judged(log: &RunLog, answer: Result<Sameness>) -> Sameness {
    answer.unwrap_or_else(|e| {
        log.line(&format!(
            "Whether the image changed is not known ({e:#}); it is pushed"
        ));
        Sameness::Different
    })
}

/// The config of the image `digest` in `image`'s repository: its digest and what it says.
async fn pushed_config(
    client: &RegistryClient,
    image: &ImageRef,
    digest: &str,
) -> Result<(String, Value)> {
    let by_digest = ImageRef {
        tag: None,
        digest: Some(digest.to_string()),
        ..image.clone()
    };
    let manifest = client.manifest_json(&by_digest).await?.json;
    let descriptor = &manifest["config"];
    let config_digest = descriptor["digest"]
        .as_str()
        .ok_or_else(|| failed(format!("{by_digest}: its manifest names no config")))?
        .to_string();
    let config = client.config(&by_digest, descriptor).await?;
    Ok((config_digest, config))
}

/// What a short builder process printed, run in a group of the run's own; an error with
/// what it said when it failed.
async fn captured(r: &Running<'_>, step: &ProcessStep) -> Result<Vec<u8>> {
    let mut cmd = crate::host::command(&step.program);
    cmd.args(&step.args)
        .envs(step.env.iter().map(|(k, v)| (k, v)));
    let out = super::process::output_in_group(&mut cmd, r.journal).await?;
    if !out.status.success() {
        return Err(failed(format!(
            "{} {} failed: {}",
            step.program.display(),
            step.args
                .first()
                .map(|a| a.to_string_lossy())
                .unwrap_or_default(),
            crate::error::clip_text(String::from_utf8_lossy(&out.stderr).trim())
        )));
    }
    Ok(out.stdout)
}

/// The tags of `images` that no longer point at `digest` (moved by someone else since the
/// last run, or unreadable), each with what it points at now; each logged.
pub(super) async fn moved_tags(
    client: &RegistryClient,
    images: &[ImageRef],
    digest: &str,
    log: &RunLog,
) -> usize {
    let mut moved = 0;
    for image in images {
        let now = client.head_digest(image).await;
        if now.as_deref().ok() == Some(digest) {
            continue;
        }
        moved += 1;
        let now = now.map_or_else(
            |e| format!("cannot be read ({e:#})"),
            |d| format!("points at {d}"),
        );
        log.line(&format!(
            "{image} {now}, not at {digest}, the task's last image: someone moved it; \
             the image is pushed again"
        ));
    }
    moved
}

/// What a multi-platform run keeps when every platform's image is the last run's: the
/// index it would push is the one the last run pushed (the same children, the same
/// annotations), and every tag still points at it. None: the index is pushed.
pub(super) async fn index_kept(
    client: &RegistryClient,
    images: &[ImageRef],
    children: &[Child],
    annotations: &[(String, String)],
    last: &LastPush,
    log: &RunLog,
) -> Option<Built> {
    let entries: Vec<IndexEntry> = children
        .iter()
        .map(|c| match c {
            Child::Kept(entry) => Some(entry.clone()),
            Child::Built(..) => None,
        })
        .collect::<Option<_>>()?;
    let (_, digest) = crate::registry::layout::index_of(&entries, annotations);
    if digest != last.digest || moved_tags(client, images, &last.digest, log).await > 0 {
        return None;
    }
    log_kept(
        log,
        last,
        "every platform's image and so the index are its own",
    );
    Some(Built {
        output_images: last.images.clone(),
        bases: Vec::new(),
        facts: Default::default(),
        platform_images: Some(last.platforms.clone()),
    })
}

/// The log line of a run that pushes nothing: its image is the last run's.
pub(super) fn log_kept(log: &RunLog, last: &LastPush, why: &str) {
    log.line(&format!(
        "The built image is the one run {} pushed ({why}): nothing is pushed; the run's image \
         stays {}",
        last.run_id, last.digest
    ));
}

/// Some(true) when every image of `pushed` has the digest the task's last successful run
/// recorded for the same name; Some(false) when one is new; None when the run pushed
/// nothing or belongs to no task (a quick build has no earlier run to compare with). The
/// last run is read again now, after the push, not taken from the run's start
/// ([`super::journal::PreviousOnce`]): a run of the same task that succeeded meanwhile is
/// the one whose images this run's replace.
pub(super) async fn judge(
    journal: &Journal,
    task: Option<&str>,
    pushed: &[ImageDescriptor],
    log: &RunLog,
) -> Option<bool> {
    let task = task?.to_string();
    if pushed.iter().all(|i| i.digest.is_none()) {
        return None;
    }
    let last = match journal.call(move |r| r.previous(&task)).await {
        Ok(previous) => previous.last,
        Err(e) => {
            log.line(&format!(
                "Whether the images changed is not known (the task's last run: {e:#})"
            ));
            return Some(false);
        }
    };
    let Some(last) = last else {
        return Some(false);
    };
    let before = last.output_images.unwrap_or_default();
    let unchanged = same_images(pushed, &before);
    if unchanged {
        log.line(&format!(
            "Unchanged: every image is the one run {} pushed; nothing new for dependents",
            last.run_id
        ));
    }
    Some(unchanged)
}

/// Every image of `now` with a digest is in `before` under the same name with that digest.
fn same_images(now: &[ImageDescriptor], before: &[ImageDescriptor]) -> bool {
    now.iter().filter(|i| i.digest.is_some()).all(|image| {
        before
            .iter()
            .any(|b| b.same_name(image) && b.digest == image.digest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(tag: &str, digest: &str) -> ImageDescriptor {
        ImageDescriptor {
            digest: Some(digest.into()),
            registry: "localhost:5000".into(),
            repository: "app".into(),
            tag: Some(tag.into()),
        }
    }

    #[test]
    fn the_same_names_at_the_same_digests_are_unchanged() {
        let before = [image("1", "sha256:a"), image("latest", "sha256:a")];
        assert!(same_images(&[image("latest", "sha256:a")], &before));
        assert!(same_images(&before, &before));
        assert!(!same_images(&[image("1", "sha256:b")], &before));
        assert!(!same_images(&[image("2", "sha256:a")], &before));
        assert!(!same_images(&[image("1", "sha256:a")], &[]));
    }
}
