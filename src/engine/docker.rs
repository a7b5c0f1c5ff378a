//! A Docker task's (and `acrt build`'s) run after its context is fetched: the pipeline's scan,
//! resolve and pin, the builder's processes, and the check of what was pushed.

use super::outcome::{Outcome, Stop, fail, failure};
use super::pipeline::{self, ResolvedBase};
use super::process::run_step;
use super::spec::PlatformBuilder;
use super::unchanged;
use super::{Built, Running};
use crate::builder::{ArchiveToLayout, BuildPlan, BuildRequest};
use crate::context;
use crate::dockerfile;
use crate::model::image::ImageRef;
use crate::model::run::ImageDescriptor;
use crate::model::{BuildArg, Platform, SourceDateEpoch};
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

/// One platform's part of a build: what the scan found for it and its bases as resolved.
pub(super) struct PlatformPlan {
    pub(super) platform: Platform,
    /// The builder it builds on.
    pub(super) on: PlatformBuilder,
    pub(super) scanned: dockerfile::Scan,
    pub(super) resolved: Vec<ResolvedBase>,
    /// The time its image's timestamps are set to (the task's, the commit's, or the newest
    /// of its bases' creation times).
    pub(super) source_date_epoch: Option<SourceDateEpoch>,
}

/// What a run's build works from once its inputs are read and its bases resolved, for each
/// platform, before anything is built.
pub(super) struct Prepared {
    pub(super) images: Vec<ImageRef>,
    pub(super) build_args: Vec<BuildArg>,
    pub(super) dockerfile: std::path::PathBuf,
    pub(super) text: String,
    pub(super) plans: Vec<PlatformPlan>,
    pub(super) involved: Vec<String>,
    pub(super) credentials: crate::registry::Credentials,
    pub(super) client: RegistryClient,
}

pub(super) async fn build_dockerfile(
    r: &Running<'_>,
    dockerfile: (&str, Option<&str>),
    context: &context::FetchedContext,
    vars: &TemplateContext,
) -> Outcome<Built> {
    let prepared = prepare(r, dockerfile, context, vars).await?;
    let context_dir = context.dir.as_path();
    if r.spec.platforms().several() {
        return super::platforms::build_platforms(r, &prepared, context_dir).await;
    }
    build_one(r, prepared, context_dir).await
}

/// Inputs rendered, every platform's scan checked (a platform that cannot be built here fails
/// the run before anything is built), push logins checked, and each platform's bases resolved.
async fn prepare(
    r: &Running<'_>,
    dockerfile: (&str, Option<&str>),
    context: &context::FetchedContext,
    vars: &TemplateContext,
) -> Outcome<Prepared> {
    let spec = r.spec;
    let context_dir = context.dir.as_path();
    let (images, build_args) = render_inputs(r, vars)?;
    let (dockerfile, text) = run_dockerfile(r, dockerfile, context_dir).map_err(fail)?;
    let mut scans = Vec::new();
    for platform in spec.platforms().iter() {
        let scanned =
            pipeline::scan(&text, &build_args, spec.target.as_deref(), platform).map_err(fail)?;
        let on = super::builders::place(spec, platform, &scanned).map_err(fail)?;
        scans.push((platform.clone(), scanned, on));
    }

    // Base digests are resolved BEFORE the build, and the build is pinned to them.
    let bases: Vec<dockerfile::BaseImage> =
        scans.iter().flat_map(|(_, s, _)| s.bases.clone()).collect();
    let involved = registries_involved(&images, &bases);
    let credentials = spec.credentials().looked_up(&involved).await;
    if spec.push {
        super::push_login::check_push_logins(spec, &images, &credentials).await?;
    }
    let client = RegistryClient::new(credentials.clone(), &involved);
    let times = pipeline::TimeSources {
        task: spec.source_date_epoch,
        commit: context.commit_time,
    };
    let mut plans = Vec::new();
    for (platform, scanned, on) in scans {
        let resolved = tokio::time::timeout_at(
            r.deadline,
            pipeline::resolve_base_digests(
                &client,
                &scanned.bases,
                &platform,
                pipeline::WhenMissing::Fail,
                r.log,
                "",
            ),
        )
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(fail)?;
        let source_date_epoch = tokio::time::timeout_at(
            r.deadline,
            pipeline::source_date_epoch(&client, &times, &resolved, r.log, ""),
        )
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(fail)?;
        plans.push(PlatformPlan {
            platform,
            on,
            scanned,
            resolved,
            source_date_epoch,
        });
    }
    Ok(Prepared {
        images,
        build_args,
        dockerfile,
        text,
        plans,
        involved,
        credentials,
        client,
    })
}

/// A build for one platform: the builder builds on the pinned bases and pushes every tag.
async fn build_one(
    r: &Running<'_>,
    prepared: Prepared,
    context_dir: &std::path::Path,
) -> Outcome<Built> {
    let spec = r.spec;
    let PlatformPlan {
        scanned,
        resolved,
        source_date_epoch,
        ..
    } = &prepared.plans[0];
    let Prepared {
        images,
        involved,
        client,
        ..
    } = &prepared;
    let dockerfile =
        pipeline::pinned_dockerfile(&prepared.text, scanned, resolved, r.work, r.log, "")
            .map_err(fail)?
            .unwrap_or_else(|| prepared.dockerfile.clone());

    let auth_file = AuthFile::write(r.work, &prepared.credentials, involved).map_err(fail)?;
    let push = spec.push && !images.is_empty();
    // With an earlier image to compare with, the build leaves its image in the builder's
    // storage and the run decides whether to push it.
    let last = match push {
        true => unchanged::last_push(r, images).await,
        false => None,
    };
    let read = last.as_ref().and_then(|_| {
        let local = images.first()?.full_name();
        r.builder.config_read(&local, r.work)
    });
    let request = BuildRequest {
        context_dir: context_dir.to_path_buf(),
        dockerfile,
        images: images.iter().map(ImageRef::full_name).collect(),
        build_args: prepared.build_args.clone(),
        target: spec.target.clone(),
        platform: spec.platform.clone(),
        no_cache: spec.no_cache || !pipeline::layer_cache_sound(&spec.platform),
        push: push && read.is_none(),
        auth_file: auth_file.path().to_path_buf(),
        insecure_registries: insecure_of(involved),
        annotations: pipeline::base_annotations(resolved),
        layout: None,
        source_date_epoch: *source_date_epoch,
    };
    let plan = r.builder.plan(&request, r.work).map_err(fail)?;
    run_builder(r, &plan).await?;
    if let (Some(last), Some(read)) = (&last, read) {
        let kept = tokio::time::timeout_at(r.deadline, kept_image(r, client, images, last, read))
            .await
            .map_err(|_| Stop::TimedOut)?;
        if kept {
            return Ok(Built {
                output_images: last.images.clone(),
                bases: resolved.iter().map(ResolvedBase::recorded).collect(),
                facts: Default::default(),
                platform_images: None,
            });
        }
        push_each(r, &request).await?;
    }
    drop(auth_file);

    let output_images = if push {
        check_pushed(r, client, images).await?
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
        platform_images: None,
    })
}

/// Whether the image just built is the task's last one, so that nothing is pushed: the same
/// config (or the same but for its times), and every tag still at it.
async fn kept_image(
    r: &Running<'_>,
    client: &RegistryClient,
    images: &[ImageRef],
    last: &unchanged::LastPush,
    read: crate::builder::ConfigRead,
) -> bool {
    let sameness = unchanged::built_is(r, client, read, &images[0], &last.digest).await;
    if !sameness.same() {
        r.log.line(&format!(
            "The built image is not the one run {} pushed ({}): it is pushed",
            last.run_id,
            sameness.describe()
        ));
        return false;
    }
    if unchanged::moved_tags(client, images, &last.digest, r.log).await > 0 {
        return false;
    }
    unchanged::log_kept(r.log, last, sameness.describe());
    true
}

/// Pushes every image of a build that left them in the builder's storage.
async fn push_each(r: &Running<'_>, request: &BuildRequest) -> Outcome<()> {
    let mut steps = Vec::new();
    for image in &request.images {
        let push = crate::builder::PushRequest {
            image,
            auth_file: &request.auth_file,
            insecure_registries: &request.insecure_registries,
        };
        steps.push(r.builder.push(&push, r.work).map_err(fail)?);
    }
    let plan = crate::builder::BuildPlan {
        steps,
        layout_from_archive: None,
    };
    run_builder(r, &plan).await
}

/// The registries of `involved` spoken to in plain http.
pub(super) fn insecure_of(involved: &[String]) -> Vec<String> {
    involved
        .iter()
        .filter(|r| crate::registry::is_insecure(r))
        .cloned()
        .collect()
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
pub(super) async fn run_builder(r: &Running<'_>, plan: &BuildPlan) -> Outcome<()> {
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
    if let Some(archive) = &plan.layout_from_archive {
        write_saved_layout(r, archive.clone()).await?;
    }
    Ok(())
}

/// The image a builder saved, written as its OCI layout within the run's time; a cancel
/// before it is noticed.
async fn write_saved_layout(r: &Running<'_>, archive: ArchiveToLayout) -> Outcome<()> {
    if r.journal.canceled().await {
        return Err(Stop::Canceled);
    }
    r.log.line(&format!(
        "Writing the {} image docker saved as an OCI image layout",
        archive.platform
    ));
    tokio::time::timeout_at(r.deadline, archive.write())
        .await
        .map_err(|_| Stop::TimedOut)?
        .map_err(fail)
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
