//! A Dockerfile run for several platforms: each platform built on its own pinned bases into
//! an OCI image layout in the run's work directory, each platform's image pushed by digest to
//! every target repository and its config checked against the platform, then one image index
//! of them under every tag, written by acrt (so that what is pushed is what is recorded).

use super::docker::{PlatformPlan, Prepared, insecure_of, run_builder};
use super::outcome::{Outcome, Stop, fail, failure};
use super::pipeline::{self, ResolvedBase};
use super::{Built, Running};
use crate::builder::BuildRequest;
use crate::model::Platform;
use crate::model::image::ImageRef;
use crate::model::run::{ImageDescriptor, PlatformImage};
use crate::registry::layout::{self, IndexEntry, OCI_INDEX};
use crate::registry::{AuthFile, RegistryClient};

/// A platform as a file and tag name: `linux-arm-v7`.
fn slug(platform: &Platform) -> String {
    platform.to_string().replace('/', "-")
}

pub(super) async fn build_platforms(
    r: &Running<'_>,
    prepared: &Prepared,
    context_dir: &std::path::Path,
) -> Outcome<Built> {
    let auth_file =
        AuthFile::write(r.work, &prepared.credentials, &prepared.involved).map_err(fail)?;
    let mut layouts = Vec::new();
    for plan in &prepared.plans {
        r.log.line(&format!("Building {}", plan.platform));
        let request = platform_request(r, prepared, plan, context_dir, auth_file.path())?;
        let steps = r.builder.plan(&request, r.work).map_err(fail)?;
        run_builder(r, &steps).await?;
        layouts.push(request.layout.expect("a platform's build writes a layout"));
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
            })
            .collect();
        return Ok(Built {
            output_images: Vec::new(),
            bases,
            platform_images: Some(platform_images),
        });
    }
    let pushed = tokio::time::timeout_at(r.deadline, push_index(r, prepared, &layouts))
        .await
        .map_err(|_| Stop::TimedOut)??;
    Ok(Built {
        output_images: pushed.output_images,
        bases,
        platform_images: Some(pushed.platform_images),
    })
}

/// One platform's build request: its pinned Dockerfile and annotations, the image written to
/// a layout of its own under a local name of the run's.
fn platform_request(
    r: &Running<'_>,
    prepared: &Prepared,
    plan: &PlatformPlan,
    context_dir: &std::path::Path,
    auth_file: &std::path::Path,
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
    let slug = slug(&plan.platform);
    // A name of this run's own (its work directory is unique), removed once exported.
    let local = format!(
        "localhost/acrt-platform-build:{}-{slug}",
        std::process::id()
    );
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
        layout: Some(r.work.join("layouts").join(slug)),
    })
}

/// What pushing the index left: every tag with the index's digest, each platform's image.
struct Pushed {
    output_images: Vec<ImageDescriptor>,
    platform_images: Vec<PlatformImage>,
}

/// Pushes each platform's image by digest into every target repository, checks each one's
/// config says its platform, then pushes the index under every tag.
async fn push_index(
    r: &Running<'_>,
    prepared: &Prepared,
    layouts: &[std::path::PathBuf],
) -> Outcome<Pushed> {
    let client = RegistryClient::for_pushing(prepared.credentials.clone(), &prepared.involved);
    let mut entries: Vec<IndexEntry> = Vec::new();
    let mut repositories: Vec<(&str, &str)> = Vec::new();
    for image in &prepared.images {
        if repositories.contains(&(&image.registry, &image.repository)) {
            continue;
        }
        repositories.push((&image.registry, &image.repository));
        entries.clear();
        for (plan, layout) in prepared.plans.iter().zip(layouts) {
            let entry = layout::push_layout(&client, layout, image, &plan.platform)
                .await
                .map_err(fail)?;
            r.log.line(&format!(
                "Pushed {} image to {}/{}: {}",
                plan.platform, image.registry, image.repository, entry.digest
            ));
            check_child(&client, image, &entry).await?;
            entries.push(entry);
        }
    }
    let first = &prepared.plans[0];
    let (body, digest) = layout::index_of(&entries, &pipeline::index_annotations(&first.resolved));
    let mut output_images = Vec::new();
    for image in &prepared.images {
        layout::push_manifest(&client, image, &body, OCI_INDEX)
            .await
            .map_err(fail)?;
        let served = client.head_digest(image).await.map_err(fail)?;
        if served != digest {
            return Err(failure(format!(
                "the registry serves {served} for {image} after the index {digest} was pushed; \
                 something else pushed that tag meanwhile"
            )));
        }
        r.log.line(&format!("Pushed {image}: {digest}"));
        let descriptor = ImageDescriptor::of(image, Some(digest.clone()));
        r.journal.pushed(descriptor.clone()).await.map_err(fail)?;
        output_images.push(descriptor);
    }
    let platform_images = entries
        .into_iter()
        .map(|e| PlatformImage {
            platform: e.platform,
            digest: Some(e.digest),
        })
        .collect();
    Ok(Pushed {
        output_images,
        platform_images,
    })
}

/// A platform's pushed image must say it is that platform (its config's os, architecture
/// and variant), whatever the builder did.
async fn check_child(client: &RegistryClient, image: &ImageRef, entry: &IndexEntry) -> Outcome {
    let child = ImageRef {
        digest: Some(entry.digest.clone()),
        tag: None,
        ..image.clone()
    };
    match client.image_platform(&child).await.map_err(fail)? {
        Some(built) if built.matches(&entry.platform) => Ok(()),
        built => Err(failure(format!(
            "the image built for {} is {}, not the platform asked for; nothing was pushed under \
             the tags",
            entry.platform,
            built.map_or("of no platform".to_string(), |b| b.to_string())
        ))),
    }
}
