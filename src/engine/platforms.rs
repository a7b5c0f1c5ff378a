//! A Dockerfile run for several platforms: each platform built on its own pinned bases into
//! an OCI image layout in the run's work directory, each platform's image pushed by digest to
//! every target repository and its config checked against the platform, then one image index
//! of them under every tag, written by acrt (so that what is pushed is what is recorded).

use super::docker::{PlatformPlan, Prepared, insecure_of, run_builder};
use super::outcome::{Outcome, Stop, fail, failure};
use super::pipeline::{self, ResolvedBase};
use super::spec::PlatformBuilder;
use super::{Built, Running};
use crate::builder::{BuildRequest, Builder};
use crate::model::Platform;
use crate::model::base::RecordedBase;
use crate::model::image::ImageRef;
use crate::model::run::{ImageDescriptor, PlatformImage};
use crate::registry::layout::{self, Child, IndexEntry};
use crate::registry::{AuthFile, RegistryClient};

pub(super) async fn build_platforms(
    r: &Running<'_>,
    prepared: &Prepared,
    context_dir: &std::path::Path,
) -> Outcome<Built> {
    let auth_file =
        AuthFile::write(r.work, &prepared.credentials, &prepared.involved).map_err(fail)?;
    let kept = tokio::time::timeout_at(r.deadline, unchanged_children(r, prepared))
        .await
        .map_err(|_| Stop::TimedOut)?;
    let mut children = Vec::new();
    let mut built_on: Vec<(Platform, String)> = Vec::new();
    let mut builders = PlatformBuilders::default();
    let dir = pipeline::platform_outputs_dir(r.work).map_err(fail)?;
    for (plan, kept) in prepared.plans.iter().zip(kept) {
        if let Some(entry) = kept {
            r.log.line(&format!(
                "{}: its bases did not move since the task's last run; its image {} is kept",
                plan.platform, entry.digest
            ));
            children.push(Child::Kept(entry));
            continue;
        }
        let (builder, name) = builders.of(r, &plan.platform).await?;
        r.log.line(&format!("Building {} on {name}", plan.platform));
        let output = pipeline::platform_output(&dir, &plan.platform);
        let request = platform_request(r, prepared, plan, context_dir, auth_file.path(), output)?;
        let steps = builder.plan(&request, r.work).map_err(fail)?;
        let on = Running { builder, ..*r };
        run_builder(&on, &steps).await.map_err(|stop| match stop {
            Stop::Failed(e) => failure(format!(
                "building {} on the builder {name}: {e:#}",
                plan.platform
            )),
            other => other,
        })?;
        let layout = request.layout.expect("a platform's build writes a layout");
        children.push(Child::Built(plan.platform.clone(), layout));
        built_on.push((plan.platform.clone(), name));
    }
    drop(auth_file);
    let bases = prepared
        .plans
        .iter()
        .flat_map(|p| p.resolved.iter().map(ResolvedBase::recorded))
        .collect();
    if !r.spec.push || prepared.images.is_empty() {
        r.log.line(
            "No image names were given (-t), or --no-push: the images were built and not pushed",
        );
        let platform_images = prepared
            .plans
            .iter()
            .map(|p| PlatformImage {
                platform: p.platform.clone(),
                digest: None,
                builder: builder_of(&built_on, &p.platform),
            })
            .collect();
        return Ok(Built {
            output_images: Vec::new(),
            bases,
            facts: Default::default(),
            platform_images: Some(platform_images),
        });
    }
    let mut pushed = tokio::time::timeout_at(r.deadline, push_index(r, prepared, &children))
        .await
        .map_err(|_| Stop::TimedOut)??;
    for image in pushed.platform_images.iter_mut().flatten() {
        image.builder = builder_of(&built_on, &image.platform);
    }
    Ok(Built { bases, ..pushed })
}

/// The builder a platform was built on in this run (None: its image was kept).
fn builder_of(built_on: &[(Platform, String)], platform: &Platform) -> Option<String> {
    built_on
        .iter()
        .find(|(p, _)| p == platform)
        .map(|(_, name)| name.clone())
}

/// The builders of a run's platforms: the run's own, and each other one the run's spec
/// places a platform on, chosen (asked whether it answers) the first time it builds one.
#[derive(Default)]
struct PlatformBuilders {
    chosen: Vec<(PlatformBuilder, Box<dyn Builder>)>,
}

impl PlatformBuilders {
    /// The builder `platform` builds on, and the name the run records it by.
    async fn of<'a>(
        &'a mut self,
        r: &'a Running<'_>,
        platform: &Platform,
    ) -> Outcome<(&'a dyn Builder, String)> {
        let on = r.spec.builder_of(platform);
        let run_s = r.spec.builder_of(&r.spec.platform);
        if on.same_builder(&run_s) {
            let name = on.name.unwrap_or_else(|| r.builder.describe());
            return Ok((r.builder, name));
        }
        let at = match self.chosen.iter().position(|(b, _)| b.same_builder(&on)) {
            Some(at) => at,
            None => {
                let builder = super::choose_builder_at(on.kind, on.url.clone(), on.name.is_some())
                    .await
                    .map_err(|stop| match stop {
                        Stop::Failed(e) => failure(format!(
                            "the builder of {platform}, {}: {e:#}",
                            on.name.as_deref().unwrap_or("this machine's")
                        )),
                        other => other,
                    })?;
                self.chosen.push((on, builder));
                self.chosen.len() - 1
            }
        };
        let (on, builder) = &self.chosen[at];
        let name = on.name.clone().unwrap_or_else(|| builder.describe());
        Ok((builder.as_ref(), name))
    }
}

/// One platform's build request: its pinned Dockerfile and annotations, the image written to
/// a layout of its own under a local name of the run's.
fn platform_request(
    r: &Running<'_>,
    prepared: &Prepared,
    plan: &PlatformPlan,
    context_dir: &std::path::Path,
    auth_file: &std::path::Path,
    (layout, local): (std::path::PathBuf, String),
) -> Outcome<BuildRequest> {
    let prefix = format!("[{}] ", plan.platform);
    let dockerfile = pipeline::pinned_dockerfile(
        &prepared.text,
        &plan.scanned,
        &plan.resolved,
        r.work,
        r.log,
        &prefix,
    )
    .map_err(fail)?
    .unwrap_or_else(|| prepared.dockerfile.clone());
    Ok(BuildRequest {
        context_dir: context_dir.to_path_buf(),
        dockerfile,
        images: vec![local],
        build_args: prepared.build_args.clone(),
        target: r.spec.target.clone(),
        platform: plan.platform.clone(),
        no_cache: r.spec.no_cache || !pipeline::layer_cache_sound(&plan.platform),
        push: false,
        auth_file: auth_file.to_path_buf(),
        insecure_registries: insecure_of(&prepared.involved),
        annotations: pipeline::base_annotations(&plan.resolved),
        layout: Some(layout),
        source_date_epoch: plan.source_date_epoch,
    })
}

/// Pushes each platform's image and the index of them under every tag; then checks that
/// each tag serves that index, and records each push.
async fn push_index(r: &Running<'_>, prepared: &Prepared, children: &[Child]) -> Outcome<Built> {
    let client = RegistryClient::for_pushing(prepared.credentials.clone(), &prepared.involved);
    let annotations = pipeline::index_annotations(&prepared.plans[0].resolved);
    let pushed =
        layout::push_image_index(&client, children, &prepared.images, &annotations, &|line| {
            r.log.line(&line)
        })
        .await
        .map_err(fail)?;
    let mut output_images = Vec::new();
    for image in &prepared.images {
        let served = client.head_digest(image).await.map_err(fail)?;
        if served != pushed.digest {
            return Err(failure(format!(
                "the registry serves {served} for {image} after the index {} was pushed; \
                 something else pushed that tag meanwhile",
                pushed.digest
            )));
        }
        r.log.line(&format!("Pushed {image}: {served}"));
        let descriptor = ImageDescriptor::of(image, Some(served));
        r.journal.pushed(descriptor.clone()).await.map_err(fail)?;
        output_images.push(descriptor);
    }
    let platform_images = pushed
        .entries
        .into_iter()
        .map(|e| PlatformImage {
            platform: e.platform,
            digest: Some(e.digest),
            builder: None,
        })
        .collect();
    Ok(Built {
        output_images,
        bases: Vec::new(),
        facts: Default::default(),
        platform_images: Some(platform_images),
    })
}

/// For each platform, the image the task's last successful run pushed for it, kept when the
/// run was started by a base change and none of the platform's bases moved since (each
/// resolved base is recorded with the same digest) and the image is in every target
/// repository: only the platforms whose base moved are rebuilt. Any other run builds every
/// platform.
async fn unchanged_children(r: &Running<'_>, prepared: &Prepared) -> Vec<Option<IndexEntry>> {
    let none = || vec![None; prepared.plans.len()];
    let Some(task) = r
        .spec
        .task
        .clone()
        .filter(|_| r.spec.image_update_trigger.is_some())
    else {
        return none();
    };
    let Ok((recorded, Some(last))) = r.journal.call(move |j| j.previous(&task)).await else {
        return none();
    };
    let last_images = last.platforms.unwrap_or_default();
    let mut kept = Vec::new();
    for plan in &prepared.plans {
        let unmoved = plan.resolved.iter().all(|b| {
            let now = b.recorded();
            recorded.iter().any(|was| same_image(was, &now))
        });
        let digest = last_images
            .iter()
            .find(|i| i.platform == plan.platform)
            .and_then(|i| i.digest.clone());
        kept.push(match digest {
            Some(digest) if unmoved => kept_entry(prepared, &plan.platform, digest).await,
            _ => None,
        });
    }
    kept
}

/// The index entry of `digest` for `platform`, when every target repository has it.
async fn kept_entry(
    prepared: &Prepared,
    platform: &Platform,
    digest: String,
) -> Option<IndexEntry> {
    let mut entry = None;
    for image in &prepared.images {
        let child = ImageRef {
            digest: Some(digest.clone()),
            tag: None,
            ..image.clone()
        };
        let (body, _) = prepared.client.manifest(&child).await.ok()?;
        let manifest: serde_json::Value = serde_json::from_slice(&body).ok()?;
        entry = Some(IndexEntry {
            media_type: manifest["mediaType"]
                .as_str()
                .unwrap_or(crate::registry::OCI_MANIFEST)
                .to_string(),
            digest: digest.clone(),
            size: body.len() as u64,
            platform: platform.clone(),
        });
    }
    entry
}

/// Whether two records name the same base image for the same platform, whatever index it
/// was found in (a platform added to the base's index moves the index, not the image).
fn same_image(a: &RecordedBase, b: &RecordedBase) -> bool {
    RecordedBase {
        index_digest: None,
        ..a.clone()
    } == RecordedBase {
        index_digest: None,
        ..b.clone()
    }
}
