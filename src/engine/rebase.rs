//! A run that rebases instead of building (`--base-image-update rebase`, `task rebase`): the
//! image the task's last successful run pushed, its runtime base's layers swapped for the
//! base as the registry serves it now (`registry::rebase`). Where that is not sound, or the
//! image cannot be read, the run says why in its log and builds as any run.

use super::Built;
use super::journal::Journal;
use super::outcome::{Outcome, Stop};
use crate::engine::log::RunLog;
use crate::model::base::RecordedBase;
use crate::model::image::ImageRef;
use crate::model::run::{ImageDescriptor, RebaseRecord};
use crate::model::status::DependencyType;
use crate::registry::RegistryClient;
use crate::registry::rebase::{RebaseRequest, rebase};
use crate::template::TemplateContext;

/// Some(outcome) when the run rebased (or timed out trying); None when it should build.
pub(super) async fn try_rebase(
    journal: &Journal,
    spec: &super::RunSpec,
    vars: &TemplateContext,
    log: &RunLog,
    deadline: tokio::time::Instant,
) -> Option<Outcome<(Built, RebaseRecord)>> {
    let attempt = tokio::time::timeout_at(deadline, attempt(journal, spec, vars, log));
    match attempt.await {
        Err(_) => Some(Err(Stop::TimedOut)),
        Ok(Ok(done)) => Some(Ok(done)),
        Ok(Err(why)) => {
            log.line(&format!("Not rebased: {why}; building instead"));
            None
        }
    }
}

async fn attempt(
    journal: &Journal,
    spec: &super::RunSpec,
    vars: &TemplateContext,
    log: &RunLog,
) -> std::result::Result<(Built, RebaseRecord), String> {
    if spec.platforms().several() {
        return Err(
            "a rebase swaps one image's base, and this task builds several platforms".into(),
        );
    }
    let task = spec.task.as_deref().ok_or("a rebase needs a task")?;
    let name = task.to_string();
    let (recorded, last) = journal
        .call(move |r| r.previous(&name))
        .await
        .map_err(|e| e.to_string())?;
    let runtime: Vec<&RecordedBase> = recorded
        .iter()
        .filter(|b| b.dependency_type == DependencyType::RunTime)
        .collect();
    let [base] = runtime.as_slice() else {
        return Err("the task has no one recorded runtime base (run it once first)".into());
    };
    let old_digest = base
        .platform_digest
        .clone()
        .ok_or("the base's digest is not recorded")?;
    let last = last.ok_or("the task has no successful run to rebase")?;
    let pushed = last
        .output_images
        .unwrap_or_default()
        .into_iter()
        .find(|i| i.digest.is_some())
        .ok_or("the task's last run pushed no image")?;
    let image = ImageRef {
        registry: pushed.registry,
        repository: pushed.repository,
        tag: None,
        digest: pushed.digest,
    };
    let targets = spec.target_images(vars).map_err(|e| e.to_string())?;
    if targets.is_empty() {
        return Err("the task pushes no image".into());
    }
    let mut involved = vec![image.registry.clone(), base.registry.clone()];
    involved.extend(targets.iter().map(|t| t.registry.clone()));
    involved.sort();
    involved.dedup();
    let credentials = spec.credentials().looked_up(&involved).await;
    let client = RegistryClient::for_pushing(credentials, &involved);
    let resolved = client
        .resolve(&base.image(), &spec.platform)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let by_digest = |digest: &str| ImageRef {
        tag: None,
        digest: Some(digest.to_string()),
        ..base.image()
    };
    let (old_base, new_base) = (by_digest(&old_digest), by_digest(&resolved.platform_digest));
    let base_name = base.image().to_string();
    log.line(&format!(
        "Rebasing {image} from {base_name}@{old_digest} onto {}",
        resolved.platform_digest
    ));
    let request = RebaseRequest {
        image: &image,
        old_base: &old_base,
        new_base: &new_base,
        base_name: &base_name,
        targets: &targets,
    };
    let rebased = rebase(&client, &request)
        .await
        .map_err(|e| format!("{e:#}"))??;
    let digest = rebased.digest;
    if !rebased.carried_over.is_empty() {
        let fields: Vec<String> = rebased
            .carried_over
            .iter()
            .map(ToString::to_string)
            .collect();
        log.line(&format!(
            "Taken from the new base (the image had them as the old base): {}",
            fields.join(", ")
        ));
    }
    let mut output_images = Vec::new();
    for target in &targets {
        log.line(&format!("{target}: {digest}"));
        output_images.push(ImageDescriptor::of(target, Some(digest.clone())));
    }
    let bases = recorded
        .iter()
        .map(|b| {
            let mut b = b.clone();
            if b.dependency_type == DependencyType::RunTime {
                b.index_digest = Some(resolved.index_digest.clone());
                b.platform_digest = Some(resolved.platform_digest.clone());
            }
            b
        })
        .collect();
    let record = RebaseRecord {
        base_image: base_name,
        from_digest: old_digest,
        to_digest: resolved.platform_digest,
        carried_over: rebased.carried_over,
    };
    Ok((
        Built {
            output_images,
            bases,
            facts: super::provenance::Facts {
                replaced_digest: image.digest.clone(),
                ..Default::default()
            },
            platform_images: None,
        },
        record,
    ))
}
