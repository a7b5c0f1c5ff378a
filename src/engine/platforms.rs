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
use crate::model::run::{ImageDescriptor, PlatformImage};
use crate::registry::layout;
use crate::registry::{AuthFile, RegistryClient};

pub(super) async fn build_platforms(
    r: &Running<'_>,
    prepared: &Prepared,
    context_dir: &std::path::Path,
) -> Outcome<Built> {
    let auth_file =
        AuthFile::write(r.work, &prepared.credentials, &prepared.involved).map_err(fail)?;
    let mut layouts = Vec::new();
    let dir = pipeline::platform_outputs_dir(r.work).map_err(fail)?;
    for plan in &prepared.plans {
        r.log.line(&format!("Building {}", plan.platform));
        let output = pipeline::platform_output(&dir, &plan.platform);
        let request = platform_request(r, prepared, plan, context_dir, auth_file.path(), output)?;
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
    Ok(Built { bases, ..pushed })
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
    })
}

/// Pushes each platform's image and the index of them under every tag; then checks that
/// each tag serves that index, and records each push.
async fn push_index(
    r: &Running<'_>,
    prepared: &Prepared,
    layouts: &[std::path::PathBuf],
) -> Outcome<Built> {
    let client = RegistryClient::for_pushing(prepared.credentials.clone(), &prepared.involved);
    let platforms: Vec<(Platform, std::path::PathBuf)> = prepared
        .plans
        .iter()
        .map(|p| p.platform.clone())
        .zip(layouts.iter().cloned())
        .collect();
    let annotations = pipeline::index_annotations(&prepared.plans[0].resolved);
    let pushed = layout::push_image_index(
        &client,
        &platforms,
        &prepared.images,
        &annotations,
        &|line| r.log.line(&line),
    )
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
        })
        .collect();
    Ok(Built {
        output_images,
        bases: Vec::new(),
        platform_images: Some(platform_images),
    })
}
