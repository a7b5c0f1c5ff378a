//! A `build` step: docker build's flags, then the pipeline (scan, resolve, pin) and the run's builder.

use std::path::{Path, PathBuf};

use crate::model::BuildArg;

use super::*;

/// A build step's `--build-arg NAME=VALUE`, or `--build-arg NAME` with its value from the
/// step's `env` (as docker takes it from its environment). One that holds a secret's value
/// goes to the builder as a secret argument: never on its argument list.
fn build_arg(text: &str, step: &Step, env: &StepEnv<'_>) -> BuildArg {
    let (name, value) = match text.split_once('=') {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => (
            text.to_string(),
            step.env
                .iter()
                .find(|(k, _)| k == text)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        ),
    };
    let secret = env.holds_secret(&value);
    BuildArg {
        name,
        value,
        secret,
    }
}

/// A build step's flags, as docker build takes them.
#[derive(Default)]
struct BuildFlags {
    tags: Vec<String>,
    file: Option<String>,
    build_args: Vec<BuildArg>,
    target: Option<String>,
    no_cache: bool,
    /// `--platform`: the platforms the step builds for (else the run's).
    platform: Option<Platforms>,
    context: Option<String>,
}

/// `-t img -f Dockerfile --build-arg K=V --target T --platform P .`; options acrt does not
/// know are named in the log and ignored.
fn parse_build_flags(args: &str, step: &Step, env: &StepEnv<'_>) -> Outcome<BuildFlags> {
    let mut f = BuildFlags::default();
    let words = split_words(args);
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let mut value = || {
            i += 1;
            words
                .get(i)
                .cloned()
                .ok_or_else(|| failure(format!("build: {w} needs a value")))
        };
        match w.as_str() {
            "-t" | "--tag" => f.tags.push(value()?),
            "-f" | "--file" => f.file = Some(value()?),
            "--build-arg" => {
                let a = value()?;
                f.build_args.push(build_arg(&a, step, env));
            }
            "--target" => f.target = Some(value()?),
            "--no-cache" => f.no_cache = true,
            "--platform" => f.platform = Some(platform_flag(&value()?)?),
            other if other.starts_with("--tag=") || other.starts_with("-t=") => {
                f.tags.push(other.split_once('=').unwrap().1.to_string())
            }
            other if other.starts_with("--file=") => {
                f.file = Some(other["--file=".len()..].to_string())
            }
            other if other.starts_with("--build-arg=") => {
                f.build_args
                    .push(build_arg(&other["--build-arg=".len()..], step, env));
            }
            other if other.starts_with("--target=") => {
                f.target = Some(other["--target=".len()..].to_string())
            }
            other if other.starts_with("--platform=") => {
                f.platform = Some(platform_flag(&other["--platform=".len()..])?)
            }
            other if other.starts_with('-') => env.log.line(&format!(
                "warning: step '{}': build option {other} is ignored",
                step.id
            )),
            other => f.context = Some(other.to_string()),
        }
        i += 1;
    }
    Ok(f)
}

/// A build step's `--platform` value: one platform, or several separated by commas.
fn platform_flag(text: &str) -> Outcome<Platforms> {
    Platforms::parse(text).map_err(|e| failure(format!("build: --platform: {e:#}")))
}

/// The step's context (its working directory, under the workspace, joined with the context
/// given) and its Dockerfile, both resolved inside the workspace; and the Dockerfile's text.
/// As `docker build` in ACR's /workspace: `-f` is relative to the working directory, and
/// without it the Dockerfile is the context's.
fn step_dockerfile(
    env: &StepEnv<'_>,
    step: &Step,
    context: Option<String>,
    file: Option<String>,
) -> anyhow::Result<(PathBuf, PathBuf, String)> {
    let workdir = host_dir(env, &step.working_directory);
    let workdir_rel = workdir
        .strip_prefix(&env.workspace)
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let context_rel = workdir_rel.join(context.unwrap_or_else(|| ".".into()));
    let context_dir = crate::context::resolve_inside(
        &env.workspace,
        &context_rel.to_string_lossy(),
        "the build context",
    )?;
    let in_workspace = format!("{}/", super::super::DEFAULT_WORKING_DIRECTORY);
    let file_rel = match file {
        // A path in the step's container (/workspace/...) is that path of the workspace; any
        // other absolute one is refused below.
        Some(file) if file.starts_with('/') => match file.strip_prefix(&in_workspace) {
            Some(rest) => PathBuf::from(rest),
            None => PathBuf::from(file),
        },
        Some(file) => workdir_rel.join(file),
        None => context_rel.join("Dockerfile"),
    };
    let file_rel = file_rel.to_string_lossy();
    let dockerfile = crate::context::resolve_inside(&env.workspace, &file_rel, "the Dockerfile")?;
    let text = crate::context::read_dockerfile(&env.workspace, &file_rel)?;
    Ok((context_dir, dockerfile, text))
}

/// The bases to resolve: a short Docker Hub name may be an image an earlier step built, which
/// exists only locally (nothing to resolve or record).
fn remote_bases(bases: &[dockerfile::BaseImage]) -> Vec<dockerfile::BaseImage> {
    bases
        .iter()
        .filter(|b| {
            b.image.as_ref().is_none_or(|i| {
                i.registry != crate::model::image::DOCKER_HUB || i.repository.contains('/')
            })
        })
        .cloned()
        .collect()
}

/// `build: "-t img -f Dockerfile --build-arg K=V --target T ."`, as docker build takes it.
/// Several platforms (`--platform linux/amd64,linux/arm64`) build one image each, kept for
/// the push step, which pushes them and an index of them under each tag.
pub(super) async fn build(
    step: &Step,
    args: &str,
    env: &StepEnv<'_>,
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Outcome {
    let BuildFlags {
        tags,
        file,
        build_args,
        target,
        no_cache,
        platform,
        context,
    } = parse_build_flags(args, step, env)?;
    let platforms = platform.unwrap_or_else(|| env.platforms.clone());
    let failed = |e: anyhow::Error| failure(format!("build: {e:#}"));
    // Tagged as docker tags them, so a later `cmd: NAME` runs this image, which is docker.io's
    // NAME, never another NAME in the builder's storage.
    let tags = tags
        .iter()
        .map(|t| ImageRef::parse(t).map(|r| r.docker_name()))
        .collect::<anyhow::Result<Vec<String>>>()
        .map_err(failed)?;
    let (context_dir, dockerfile, text) =
        step_dockerfile(env, step, context, file).map_err(failed)?;
    // Every platform placed (and checked there) before any is built.
    let mut scans = Vec::new();
    for platform in platforms.iter() {
        let scanned =
            pipeline::scan(&text, &build_args, target.as_deref(), platform).map_err(failed)?;
        let on = env.builders.place(platform, &scanned).map_err(failed)?;
        scans.push((platform.clone(), scanned, on));
    }
    let mut registries: Vec<String> = scans
        .iter()
        .flat_map(|(_, s, _)| s.bases.iter())
        .filter_map(|b| b.image.as_ref().map(|i| i.api_registry().to_string()))
        .collect();
    registries.extend(tags.iter().filter_map(|t| registry_of(t)));
    registries.sort();
    registries.dedup();
    let logins = StepLogins::look_up(env, &registries).await;
    let client = logins.client();
    let auth = logins.auth_file(env, "build")?;
    // An image built on another builder than the run's comes back as a layout, which the
    // push step pushes: the run's builder has no copy of it.
    let elsewhere = scans.iter().any(|(_, _, on)| !env.builders.is_run_s(on));
    let outputs = match platforms.several() || elsewhere {
        true => Some(pipeline::platform_outputs_dir(&env.work).map_err(fail)?),
        false => None,
    };
    let (mut layouts, mut annotations) = (Vec::new(), Vec::new());
    let mut built_elsewhere = None;
    for (platform, scanned, on) in &scans {
        let prefix = match platforms.several() {
            true => format!("[{}] [{platform}] ", step.id),
            false => format!("[{}] ", step.id),
        };
        let (builder, builder_name) = env.builders.reach(on).await?;
        if outputs.is_some() {
            env.log
                .line(&format!("{prefix}Building {platform} on {builder_name}"));
        }
        let resolved = pipeline::resolve_base_digests(
            &client,
            &remote_bases(&scanned.bases),
            platform,
            pipeline::WhenMissing::Skip,
            env.log,
            &prefix,
        )
        .await
        .map_err(failed)?;
        shared
            .bases
            .borrow_mut()
            .extend(resolved.iter().map(pipeline::ResolvedBase::recorded));
        let source_date_epoch =
            pipeline::source_date_epoch(&client, &env.times, &resolved, env.log, &prefix)
                .await
                .map_err(failed)?;
        let dockerfile =
            pipeline::pinned_dockerfile(&text, scanned, &resolved, &env.work, env.log, &prefix)
                .map_err(failed)?
                .unwrap_or_else(|| dockerfile.clone());
        let output = outputs
            .as_deref()
            .map(|dir| pipeline::platform_output(dir, platform));
        let request = BuildRequest {
            context_dir: context_dir.clone(),
            dockerfile,
            images: match &output {
                Some((_, local)) => vec![local.clone()],
                None => tags.clone(),
            },
            build_args: build_args.clone(),
            target: target.clone(),
            platform: platform.clone(),
            no_cache: no_cache || !pipeline::layer_cache_sound(platform),
            push: false,
            auth_file: auth.path().to_path_buf(),
            insecure_registries: insecure_registries(env, &registries),
            annotations: pipeline::base_annotations(&resolved),
            layout: output.as_ref().map(|(layout, _)| layout.clone()),
            source_date_epoch,
        };
        let plan = builder.plan(&request, &env.work).map_err(fail)?;
        // The step's env is for `--build-arg NAME` (read above), not a setting of the builder.
        for p in plan.steps {
            process(&step.id, p, env, deadline).await?;
        }
        if let Some(archive) = plan.layout_from_archive {
            tokio::time::timeout_at(deadline, archive.write())
                .await
                .map_err(|_| Stop::TimedOut)?
                .map_err(failed)?;
        }
        match output {
            Some((layout, _)) if platforms.several() => {
                if layouts.is_empty() {
                    annotations = pipeline::index_annotations(&resolved);
                }
                let child = crate::registry::layout::Child::Built(platform.clone(), layout);
                layouts.push(child);
            }
            Some((layout, _)) => {
                built_elsewhere = Some(LayoutImage::Elsewhere {
                    platform: platform.clone(),
                    layout,
                    builder: builder_name,
                })
            }
            None => {}
        }
    }
    let left = match platforms.several() {
        true => Some(LayoutImage::Index {
            layouts,
            annotations,
        }),
        false => built_elsewhere,
    };
    if let Some(image) = left {
        let mut left_as_layouts = shared.layouts.borrow_mut();
        left_as_layouts.extend(tags.iter().map(|t| (with_tag(t), image.clone())));
    } else {
        let mut built_for = shared.built_for.borrow_mut();
        built_for.extend(
            tags.iter()
                .map(|t| (with_tag(t), platforms.first().clone())),
        );
    }
    Ok(())
}
