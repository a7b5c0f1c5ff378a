//! A mirror task's run: its source copied into the task's registry (every platform of it),
//! as `acrt import` copies it, with no builder; the source is recorded as the task's base, so
//! watch copies it again when it changes, and the copy's push triggers what is built on it.

use super::Built;
use super::outcome::{Outcome, Stop, fail};
use crate::engine::log::RunLog;
use crate::model::base::RecordedBase;
use crate::model::image::ImageRef;
use crate::model::run::ImageDescriptor;
use crate::model::status::DependencyType;
use crate::registry::RegistryClient;
use crate::registry::copy::{ByteCounter, CopyStats, copy_image};
use crate::template::TemplateContext;

pub(super) async fn run_import(
    spec: &super::RunSpec,
    source: &str,
    vars: &TemplateContext,
    log: &RunLog,
    deadline: tokio::time::Instant,
) -> Outcome<Built> {
    let source = ImageRef::parse_in(source, None).map_err(fail)?;
    let targets = spec.target_images(vars).map_err(fail)?;
    let mut involved = vec![source.api_registry().to_string()];
    involved.extend(targets.iter().map(|t| t.registry.clone()));
    involved.sort();
    involved.dedup();
    let credentials = spec.credentials().looked_up(&involved).await;
    super::push_login::check_push_logins(spec, &targets, &credentials).await?;
    let src = RegistryClient::new(credentials.clone(), &involved);
    let dst = RegistryClient::for_pushing(credentials, &involved);
    let counter = ByteCounter::default();
    let mut stats = CopyStats::default();
    let mut outputs = Vec::new();
    let mut digest = String::new();
    let mut platforms = Vec::new();
    for target in &targets {
        log.line(&format!("Importing {source} to {target}"));
        let copied = tokio::time::timeout_at(
            deadline,
            copy_image(&src, &dst, &source, target, &counter, &mut stats),
        )
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(fail)?;
        (digest, platforms) = (copied.manifest.digest, copied.platforms);
        log.line(&format!("{target}: {digest}"));
        outputs.push(ImageDescriptor::of(target, Some(digest.clone())));
    }
    log.line(&format!(
        "Copied {} blob(s) ({} bytes), mounted {}, {} already there; {} manifest(s)",
        stats.blobs_copied,
        stats.bytes_copied,
        stats.blobs_mounted,
        stats.blobs_skipped,
        stats.manifests
    ));
    // The whole index was copied: its digest is what a change is judged by, whichever
    // platform changed.
    let base = RecordedBase {
        dependency_type: DependencyType::RunTime,
        registry: source.registry.clone(),
        repository: source.repository.clone(),
        tag: source.tag.clone(),
        index_digest: Some(digest.clone()),
        platform_digest: Some(digest),
        platform: spec.platform.to_string(),
        pinned: source.digest.is_some(),
    };
    Ok(Built {
        output_images: outputs,
        bases: vec![base],
        facts: super::provenance::Facts {
            copied_platforms: platforms,
            ..Default::default()
        },
        platform_images: None,
    })
}
