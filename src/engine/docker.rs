//! A Docker task's (and `acrt build`'s) run after its context is fetched: the pipeline's scan,
//! resolve and pin, the builder's processes, and the check of what was pushed.

use super::outcome::{Outcome, Stop, fail, failure};
use super::pipeline::{self, ResolvedBase};
use super::process::run_step;
use super::{Built, Running};
use crate::builder::{BuildPlan, BuildRequest};
use crate::context;
use crate::dockerfile;
use crate::model::BuildArg;
use crate::model::image::ImageRef;
use crate::model::run::ImageDescriptor;
use crate::registry::{AuthFile, RegistryClient};
use crate::template::{self, TemplateContext};

/// The run's images and build args with their templates rendered; secret values are masked
/// in the log from here on.
fn render_inputs(
    r: &Running<'_>,
    vars: &TemplateContext,
) -> Outcome<(Vec<ImageRef>, Vec<BuildArg>)> {
    let render = |text: &str| template::render(text, vars).map_err(fail);
    let images = r.spec.target_images(vars).map_err(fail)?;
    let mut build_args = Vec::new();
    for a in &r.spec.arguments {
        let value = render(a.value.as_deref().unwrap_or_default())?;
        if a.is_secret {
            r.log.add_secret(&value);
        }
        build_args.push(BuildArg {
            name: a.name.clone(),
            value,
            secret: a.is_secret,
        });
    }
    Ok((images, build_args))
}

pub(super) async fn build_dockerfile(
    r: &Running<'_>,
    dockerfile: (&str, Option<&str>),
    context: &context::FetchedContext,
    vars: &TemplateContext,
) -> Outcome<Built> {
    let context_dir = context.dir.as_path();
    let spec = r.spec;
    let (images, build_args) = render_inputs(r, vars)?;
    let (dockerfile, text) = run_dockerfile(r, dockerfile, context_dir).map_err(fail)?;
    let scanned =
        pipeline::scan(&text, &build_args, spec.target.as_deref(), &spec.platform).map_err(fail)?;
    pipeline::check_buildable(&spec.platform, &scanned).map_err(fail)?;

    // Base digests are resolved BEFORE the build, and the build is pinned to them.
    let involved = registries_involved(&images, &scanned.bases);
    let credentials = spec.credentials().looked_up(&involved).await;
    if spec.push {
        super::push_login::check_push_logins(spec, &images, &credentials).await?;
    }
    let client = RegistryClient::new(credentials.clone(), &involved);
    let resolved = tokio::time::timeout_at(
        r.deadline,
        pipeline::resolve_base_digests(
            &client,
            &scanned.bases,
            &spec.platform,
            pipeline::WhenMissing::Fail,
            r.log,
            "",
        ),
    )
    .await
    .map_err(|_| Stop::TimedOut)?
    .map_err(fail)?;
    let times = pipeline::TimeSources {
        task: spec.source_date_epoch,
        commit: context.commit_time,
    };
    let source_date_epoch = tokio::time::timeout_at(
        r.deadline,
        pipeline::source_date_epoch(&client, &times, &resolved, r.log, ""),
    )
    .await
    .map_err(|_| Stop::TimedOut)?
    .map_err(fail)?;
    let dockerfile = pipeline::pinned_dockerfile(&text, &scanned, &resolved, r.work, r.log, "")
        .map_err(fail)?
        .unwrap_or(dockerfile);

    let auth_file = AuthFile::write(r.work, &credentials, &involved).map_err(fail)?;
    let push = spec.push && !images.is_empty();
    let request = BuildRequest {
        context_dir: context_dir.to_path_buf(),
        dockerfile,
        images: images.iter().map(ImageRef::full_name).collect(),
        build_args,
        target: spec.target.clone(),
        platform: spec.platform.clone(),
        no_cache: spec.no_cache,
        push,
        auth_file: auth_file.path().to_path_buf(),
        insecure_registries: involved
            .iter()
            .filter(|r| crate::registry::is_insecure(r))
            .cloned()
            .collect(),
        annotations: pipeline::base_annotations(&resolved),
        source_date_epoch,
    };
    let plan = r.builder.plan(&request, r.work).map_err(fail)?;
    run_builder(r, &plan).await?;
    drop(auth_file);

    let output_images = if push {
        check_pushed(r, &client, &images).await?
    } else {
        if images.is_empty() {
            r.log
                .line("No image names were given (-t): the image was built and not pushed");
        }
        Vec::new()
    };
    Ok(Built {
        output_images,
        bases: resolved.iter().map(ResolvedBase::recorded).collect(),
        facts: Default::default(),
    })
}

/// Every registry the build talks to: those of its bases and of the images it pushes.
/// The run's Dockerfile: from stdin (`-f -`, written into the run's work directory for the
/// builder), else named with `-f`; its path and its text.
fn run_dockerfile(
    r: &Running<'_>,
    (path, text): (&str, Option<&str>),
    context_dir: &std::path::Path,
) -> crate::error::Result<(std::path::PathBuf, String)> {
    if let Some(text) = text {
        let file = r.work.join("Dockerfile.stdin");
        std::fs::write(&file, text)?;
        return Ok((file, text.to_string()));
    }
    context::read_dockerfile_named(&r.spec.context_location(), context_dir, path)
}

fn registries_involved(images: &[ImageRef], bases: &[dockerfile::BaseImage]) -> Vec<String> {
    let mut involved: Vec<String> = images.iter().map(|i| i.registry.clone()).collect();
    involved.extend(
        bases
            .iter()
            .filter_map(|b| b.image.as_ref().map(|i| i.api_registry().to_string())),
    );
    involved.sort();
    involved.dedup();
    involved
}

/// Runs the builder's processes in order; a cancel from another process is noticed between
/// them, and tells a killed builder from a failed one.
async fn run_builder(r: &Running<'_>, plan: &BuildPlan) -> Outcome<()> {
    for step in &plan.steps {
        if r.journal.canceled().await {
            return Err(Stop::Canceled);
        }
        let shown: Vec<String> = step
            .args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        r.log
            .line(&format!("$ {} {}", step.program.display(), shown.join(" ")));
        let code = run_step(step, r.work, r.log, r.deadline, r.journal).await?;
        if code == Some(0) {
            continue;
        }
        if r.journal.canceled().await {
            return Err(Stop::Canceled);
        }
        // What the builder said last is what went wrong, most often (a refused push, a failed
        // RUN).
        return Err(failure(format!(
            "{} exited with {}: {}",
            step.program.display(),
            code.map_or("a signal".to_string(), |c| format!("code {c}")),
            crate::error::clip_text(&r.log.last_line())
        )));
    }
    Ok(())
}

/// What the registry serves for each pushed tag now is what the run records; and what was
/// pushed must be the platform asked for, whatever the builder did.
async fn check_pushed(
    r: &Running<'_>,
    client: &RegistryClient,
    images: &[ImageRef],
) -> Outcome<Vec<ImageDescriptor>> {
    let mut output_images = Vec::new();
    for image in images {
        let digest = client.head_digest(image).await.map_err(fail)?;
        r.log.line(&format!("Pushed {image}: {digest}"));
        // In the record at once: a run stopped from here on still says what it pushed.
        r.journal
            .pushed(ImageDescriptor::of(image, Some(digest.clone())))
            .await
            .map_err(fail)?;
        if let Some(built) = client.image_platform(image).await.map_err(fail)?
            && !built.matches(&r.spec.platform)
        {
            return Err(failure(format!(
                "the pushed image {image} is {built}, not the {} asked for",
                r.spec.platform
            )));
        }
        output_images.push(ImageDescriptor::of(image, Some(digest)));
    }
    Ok(output_images)
}
