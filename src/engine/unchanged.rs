//! Whether a successful run changed nothing: every image it pushed is the image its task's
//! last successful run pushed under the same name. Reproducible builds (fixed timestamps)
//! make an unchanged input give that same digest; such a run records no push event, so
//! that nothing downstream (watch's dependents, their notifications) is started by it.

use super::journal::Journal;
use super::log::RunLog;
use crate::model::run::ImageDescriptor;

/// Some(true) when every image of `pushed` has the digest the task's last successful run
/// recorded for the same name; Some(false) when one is new; None when the run pushed
/// nothing or belongs to no task (a quick build has no earlier run to compare with).
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
        Ok((_, last)) => last,
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
        before.iter().any(|b| {
            b.registry == image.registry
                && b.repository == image.repository
                && b.tag == image.tag
                && b.digest == image.digest
        })
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
