//! A `build` step: docker build's flags, then the pipeline (scan, resolve, pin) and the run's builder.

use std::path::Path;

use super::*;

/// A build step's `--build-arg NAME=VALUE`, or `--build-arg NAME` with its value from the
/// step's `env` (as docker takes it from its environment). One that holds a secret's value
/// goes to the builder as a secret argument: never on its argument list.
fn build_arg(text: &str, step: &Step, env: &StepEnv<'_>) -> (String, String, bool) {
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
    (name, value, secret)
}

/// `build: "-t img -f Dockerfile --build-arg K=V --target T ."`, as docker build takes it.
pub(super) async fn build(
    step: &Step,
    args: &str,
    env: &StepEnv<'_>,
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Result<(), StepError> {
    let words = split_words(args);
    let mut tags = Vec::new();
    let mut file = None;
    let mut build_args: Vec<(String, String, bool)> = Vec::new();
    let mut target = None;
    let mut no_cache = false;
    let mut context = None;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        let mut value = || {
            i += 1;
            words
                .get(i)
                .cloned()
                .ok_or_else(|| StepError::Failed(format!("build: {w} needs a value")))
        };
        match w.as_str() {
            "-t" | "--tag" => tags.push(value()?),
            "-f" | "--file" => file = Some(value()?),
            "--build-arg" => {
                let a = value()?;
                build_args.push(build_arg(&a, step, env));
            }
            "--target" => target = Some(value()?),
            "--no-cache" => no_cache = true,
            other if other.starts_with("--tag=") || other.starts_with("-t=") => {
                tags.push(other.split_once('=').unwrap().1.to_string())
            }
            other if other.starts_with("--file=") => {
                file = Some(other["--file=".len()..].to_string())
            }
            other if other.starts_with("--build-arg=") => {
                build_args.push(build_arg(&other["--build-arg=".len()..], step, env));
            }
            other if other.starts_with("--target=") => {
                target = Some(other["--target=".len()..].to_string())
            }
            other if other.starts_with('-') => env.log.line(&format!(
                "warning: step '{}': build option {other} is ignored",
                step.id
            )),
            other => context = Some(other.to_string()),
        }
        i += 1;
    }
    let failed = |e: anyhow::Error| StepError::Failed(format!("build: {e:#}"));
    let workdir = host_dir(env, &step.working_directory);
    // The working directory is under the workspace; the build's context is inside it.
    let context_rel = workdir
        .strip_prefix(&env.workspace)
        .unwrap_or(Path::new("."))
        .join(context.unwrap_or_else(|| ".".into()));
    let context_dir = crate::context::resolve_inside(
        &env.workspace,
        &context_rel.to_string_lossy(),
        "the build context",
    )
    .map_err(failed)?;
    let file = file.unwrap_or_else(|| "Dockerfile".into());
    let dockerfile =
        crate::context::resolve_inside(&context_dir, &file, "the Dockerfile").map_err(failed)?;
    let text = crate::context::read_dockerfile(&context_dir, &file).map_err(failed)?;
    let scan_args: Vec<(String, String)> = build_args
        .iter()
        .map(|(k, v, _)| (k.clone(), v.clone()))
        .collect();
    let scanned = dockerfile::scan_sites(&text, &scan_args, target.as_deref()).map_err(failed)?;
    let mut registries: Vec<String> = scanned
        .bases
        .iter()
        .filter_map(|b| b.image.as_ref().map(|i| i.api_registry().to_string()))
        .collect();
    registries.extend(tags.iter().filter_map(|t| registry_of(t)));
    let client = RegistryClient::new(
        env.credentials.clone().looked_up(&registries).await,
        &registries,
    );
    // A base built by an earlier step exists only locally: nothing to resolve or record.
    let remote: Vec<dockerfile::BaseImage> = scanned
        .bases
        .iter()
        .filter(|b| {
            b.image.as_ref().is_none_or(|i| {
                i.registry != crate::model::image::DOCKER_HUB || i.repository.contains('/')
            })
        })
        .cloned()
        .collect();
    let prefix = format!("[{}] ", step.id);
    let resolved = pipeline::resolve_base_digests(
        &client,
        &remote,
        &env.platform,
        pipeline::WhenMissing::Skip,
        env.log,
        &prefix,
    )
    .await
    .map_err(failed)?;
    shared
        .bases
        .borrow_mut()
        .extend(resolved.iter().map(|r| r.recorded(&env.platform)));
    let dockerfile =
        pipeline::pinned_dockerfile(&text, &scanned, &resolved, &env.work, env.log, &prefix)
            .map_err(failed)?
            .unwrap_or(dockerfile);
    let auth = auth_for(env, &registries, "build").await?;
    let request = BuildRequest {
        context_dir,
        dockerfile,
        images: tags,
        build_args,
        target,
        platform: env.platform.clone(),
        no_cache,
        push: false,
        auth_file: auth.path().to_path_buf(),
        insecure_registries: registries
            .iter()
            .filter(|r| crate::registry::is_insecure(r))
            .cloned()
            .collect(),
        annotations: pipeline::base_annotations(&resolved),
    };
    let plan = env
        .builder
        .plan(&request, &env.work)
        .map_err(|e| StepError::Failed(format!("{e:#}")))?;
    // The step's env is for `--build-arg NAME` (read above), not a setting of the builder.
    for p in plan.steps {
        process(&step.id, p, env, deadline).await?;
    }
    Ok(())
}
