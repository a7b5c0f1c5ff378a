//! A Dockerfile run for several platforms: each platform built on its own pinned bases into
//! an OCI image layout in the run's work directory, each platform's image pushed by digest to
//! every target repository and its config checked against the platform, then one image index
//! of them under every tag, written by acrt (so that what is pushed is what is recorded).

use super::builders::RunBuilders;
use super::docker::{PlatformPlan, Prepared, insecure_of, run_builder};
use super::journal::{Journal, Previous};
use super::log::RunLog;
use super::outcome::{Outcome, Stop, fail, failure};
use super::pipeline::{self, ResolvedBase};
use super::provenance::NewChild;
use super::unchanged;
use super::{Built, Running};
use crate::builder::{BaseLayers, BuildRequest};
use crate::model::Platform;
use crate::model::base::RecordedBase;
use crate::model::image::ImageRef;
use crate::model::run::{ImageDescriptor, PlatformImage, RebaseRecord};
use crate::model::status::DependencyType;
use crate::registry::layout::{self, Child, IndexEntry};
use crate::registry::{AuthFile, RegistryClient};

/// A platform's image the run may keep instead of building it: the last run's, or one a
/// rebase made earlier in this run. Kept when every base the build resolves for the
/// platform is one of `bases`, the bases the image stands on.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub(super) platform: Platform,
    pub(super) digest: String,
    pub(super) bases: Vec<RecordedBase>,
    /// Made by a rebase in this run: what it swapped and the image it replaced.
    pub(super) rebased: Option<(RebaseRecord, String)>,
}

impl Candidate {
    /// The image as provenance names a platform image this run made: one a rebase of the run
    /// made; None for one kept from the last run.
    pub(super) fn rebased_child(&self) -> Option<NewChild> {
        let (rebase, replaced) = self.rebased.clone()?;
        Some(NewChild {
            platform: self.platform.clone(),
            digest: self.digest.clone(),
            rebase: Some(rebase),
            replaced: Some(replaced),
        })
    }
}

pub(super) async fn build_platforms(
    r: &Running<'_>,
    prepared: &Prepared,
    context_dir: &std::path::Path,
) -> Outcome<Built> {
    let auth_file =
        AuthFile::write(r.work, &prepared.credentials, &prepared.involved).map_err(fail)?;
    let kept = tokio::time::timeout_at(r.deadline, kept_children(r, prepared))
        .await
        .map_err(|_| Stop::TimedOut)?;
    let last = match r.spec.push {
        true => unchanged::last_push(r, &prepared.images).await,
        false => None,
    };
    let mut children = Vec::new();
    let mut new_children = Vec::new();
    let mut built_on: Vec<(Platform, String)> = Vec::new();
    let builders = RunBuilders::new(r.spec, r.builder);
    let dir = pipeline::platform_outputs_dir(r.work).map_err(fail)?;
    for (plan, kept) in prepared.plans.iter().zip(kept) {
        if let Some((entry, candidate)) = kept {
            new_children.extend(keep(r.log, &entry, &candidate));
            children.push(Child::Kept(entry));
            continue;
        }
        let (builder, name) = builders.reach(&plan.on).await?;
        r.log.line(&format!("Building {} on {name}", plan.platform));
        let output = pipeline::platform_output(&dir, &plan.platform);
        let request = platform_request(r, prepared, plan, context_dir, auth_file.path(), output)?;
        let mut steps = builder.plan(&request, r.work).map_err(fail)?;
        if let Some(archive) = steps.layout_from_archive.as_mut() {
            archive.base =
                tokio::time::timeout_at(r.deadline, base_layers(&prepared.client, &plan.resolved))
                    .await
                    .map_err(|_| Stop::TimedOut)?;
        }
        let on = Running {
            builder: &*builder,
            ..*r
        };
        run_builder(&on, &steps).await.map_err(|stop| match stop {
            Stop::Failed(e) => failure(format!(
                "building {} on the builder {name}: {e:#}",
                plan.platform
            )),
            other => other,
        })?;
        let layout = request.layout.expect("a platform's build writes a layout");
        let same = tokio::time::timeout_at(
            r.deadline,
            same_as_last(r, prepared, last.as_ref(), &plan.platform, &layout),
        )
        .await
        .map_err(|_| Stop::TimedOut)?;
        children.push(match same {
            Some(entry) => Child::Kept(entry),
            None => Child::Built(plan.platform.clone(), layout),
        });
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
                rebase: None,
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
    let annotations = pipeline::index_annotations(&prepared.plans[0].resolved);
    if let Some(last) = &last {
        let unchanged_index = unchanged::index_kept(
            &prepared.client,
            &prepared.images,
            &children,
            &annotations,
            last,
            r.log,
        );
        let kept = tokio::time::timeout_at(r.deadline, unchanged_index)
            .await
            .map_err(|_| Stop::TimedOut)?;
        if let Some(kept) = kept {
            return Ok(Built { bases, ..kept });
        }
    }
    let client = RegistryClient::for_pushing(prepared.credentials.clone(), &prepared.involved);
    let pushing = push_index(
        (r.log, r.journal),
        &client,
        &prepared.images,
        &annotations,
        &children,
    );
    let mut pushed = tokio::time::timeout_at(r.deadline, pushing)
        .await
        .map_err(|_| Stop::TimedOut)??;
    new_children.extend(built_children(&children, pushed.platform_images.as_ref()));
    mark_rebased(pushed.platform_images.as_mut(), &new_children);
    pushed.facts.children = new_children;
    for image in pushed.platform_images.iter_mut().flatten() {
        image.builder = builder_of(&built_on, &image.platform);
    }
    Ok(Built { bases, ..pushed })
}

/// The layers of the platform's runtime base as its registry holds them, which an image
/// saved by a builder reuses where it starts with them (None: no base, or one unreadable:
/// every layer is then the image's own).
async fn base_layers(client: &RegistryClient, resolved: &[ResolvedBase]) -> Option<BaseLayers> {
    let base = resolved
        .iter()
        .find(|b| b.dependency_type == DependencyType::RunTime)?;
    let image = ImageRef {
        digest: Some(base.platform_digest.clone()),
        tag: None,
        ..base.image.clone()
    };
    let manifest = client.manifest_json(&image).await.ok()?.json;
    let config = client.config(&image, &manifest["config"]).await.ok()?;
    BaseLayers::of(image, &manifest, &config)
}

/// Keeps `entry`, the image of `candidate`, saying so in the log; a rebase's image is one
/// this run made.
fn keep(log: &RunLog, entry: &IndexEntry, candidate: &Candidate) -> Option<NewChild> {
    let platform = &entry.platform;
    log.line(&match &candidate.rebased {
        Some(_) => format!("{platform}: its rebased image {} is kept", entry.digest),
        None => format!(
            "{platform}: its bases did not move since the task's last run; its image {} is kept",
            entry.digest
        ),
    });
    candidate.rebased_child()
}

/// The platform images this run built, with the digests they were pushed under.
fn built_children(children: &[Child], pushed: Option<&Vec<PlatformImage>>) -> Vec<NewChild> {
    children
        .iter()
        .filter_map(|c| match c {
            Child::Built(platform, _) => Some(platform),
            Child::Kept(_) => None,
        })
        .filter_map(|platform| {
            let image = pushed?.iter().find(|i| &i.platform == platform)?;
            Some(NewChild {
                platform: platform.clone(),
                digest: image.digest.clone()?,
                rebase: None,
                replaced: None,
            })
        })
        .collect()
}

/// Each platform image a rebase made in this run carries what the rebase swapped.
pub(super) fn mark_rebased(images: Option<&mut Vec<PlatformImage>>, children: &[NewChild]) {
    for image in images.into_iter().flatten() {
        image.rebase = children
            .iter()
            .find(|c| c.platform == image.platform && image.digest.as_ref() == Some(&c.digest))
            .and_then(|c| c.rebase.clone());
    }
}

/// The builder a platform was built on in this run (None: its image was kept).
fn builder_of(built_on: &[(Platform, String)], platform: &Platform) -> Option<String> {
    built_on
        .iter()
        .find(|(p, _)| p == platform)
        .map(|(_, name)| name.clone())
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

/// Pushes each platform's image and the index of them under every tag of `images`; then
/// checks that each tag serves that index, and records each push.
pub(super) async fn push_index(
    (log, journal): (&RunLog, &Journal),
    client: &RegistryClient,
    images: &[ImageRef],
    annotations: &[(String, String)],
    children: &[Child],
) -> Outcome<Built> {
    let pushed = layout::push_image_index(client, children, images, annotations, &|line| {
        log.line(&line)
    })
    .await
    .map_err(fail)?;
    let mut output_images = Vec::new();
    for image in images {
        let served = client.head_digest(image).await.map_err(fail)?;
        if served != pushed.digest {
            return Err(failure(format!(
                "the registry serves {served} for {image} after the index {} was pushed; \
                 something else pushed that tag meanwhile",
                pushed.digest
            )));
        }
        log.line(&format!("Pushed {image}: {served}"));
        let descriptor = ImageDescriptor::of(image, Some(served));
        journal.pushed(descriptor.clone()).await.map_err(fail)?;
        output_images.push(descriptor);
    }
    let platform_images = pushed
        .entries
        .into_iter()
        .map(|e| PlatformImage {
            platform: e.platform,
            digest: Some(e.digest),
            rebase: None,
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

/// For each platform, the image kept instead of building it, with the candidate it came
/// from: a candidate (the run's, from a rebase; else, in a run a base change started and
/// unless the task builds its platforms in lockstep, the image the task's last successful
/// run pushed for it) whose bases are the platform's bases as resolved now, and which every
/// target repository has. Any other platform is built.
async fn kept_children(
    r: &Running<'_>,
    prepared: &Prepared,
) -> Vec<Option<(IndexEntry, Candidate)>> {
    let candidates = match r.candidates {
        Some(given) => given.to_vec(),
        None => last_run_candidates(r).await,
    };
    let mut kept = Vec::new();
    for plan in &prepared.plans {
        let candidate = candidates.iter().find(|c| {
            c.platform == plan.platform
                && plan.resolved.iter().all(|b| {
                    let now = b.recorded();
                    c.bases.iter().any(|was| same_image(was, &now))
                })
        });
        let entry = match candidate {
            Some(c) => layout::entry_in(&prepared.client, &prepared.images, &c.platform, &c.digest)
                .await
                .map(|entry| (entry, c.clone())),
            None => None,
        };
        kept.push(entry);
    }
    kept
}

/// The images of the task's last successful run, each on the bases it recorded, in a run a
/// base change started of a task not in lockstep; none for any other run.
async fn last_run_candidates(r: &Running<'_>) -> Vec<Candidate> {
    if r.spec.task.is_none() || r.spec.image_update_trigger.is_none() {
        return Vec::new();
    }
    if r.spec.platform_lockstep {
        r.log
            .line("The task builds its platforms in lockstep: every platform is built");
        return Vec::new();
    }
    let Ok(Previous {
        bases,
        last: Some(last),
    }) = r.previous.get().await
    else {
        return Vec::new();
    };
    last.platforms
        .iter()
        .flatten()
        .filter_map(|image| {
            Some(Candidate {
                digest: image.digest.clone()?,
                platform: image.platform.clone(),
                bases: bases.clone(),
                rebased: None,
            })
        })
        .collect()
}

/// The last run's image of `platform`, when the one just built in `layout` is the same
/// (`unchanged::layout_is`) and every target repository still has it.
async fn same_as_last(
    r: &Running<'_>,
    prepared: &Prepared,
    last: Option<&unchanged::LastPush>,
    platform: &Platform,
    layout: &std::path::Path,
) -> Option<IndexEntry> {
    let digest = last?
        .platforms
        .iter()
        .find(|i| &i.platform == platform)?
        .digest
        .clone()?;
    let image = prepared.images.first()?;
    let sameness = unchanged::layout_is(r.log, &prepared.client, layout, image, &digest).await;
    if !sameness.same() {
        return None;
    }
    let entry = layout::entry_in(&prepared.client, &prepared.images, platform, &digest).await?;
    r.log.line(&format!(
        "{platform}: the built image is the last run's {} ({}); it is not pushed again",
        entry.digest,
        sameness.describe()
    ));
    Some(entry)
}

/// Whether two records name the same base image for the same platform, whatever index it
/// was found in (a platform added to the base's index moves the index, not the image).
pub(super) fn same_image(a: &RecordedBase, b: &RecordedBase) -> bool {
    RecordedBase {
        index_digest: None,
        ..a.clone()
    } == RecordedBase {
        index_digest: None,
        ..b.clone()
    }
}
