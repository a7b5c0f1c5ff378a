//! A `cmd` step: the image runs as a container with the workspace at /workspace (buildah from
//! + buildah run, or podman / docker run).

use std::path::{Path, PathBuf};

use super::*;
use crate::builder::{ImageSource, WorkingContainers};
use crate::engine::steps::{ContainerRun, WorkspaceBind};

/// One container of a cmd line: the image runs with the workspace at /workspace, its output
/// where the line sends it; its exit code (None: ended by a signal).
pub(super) async fn container(
    step: &Step,
    container_run: &ContainerRun,
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    shared: &Shared,
    deadline: tokio::time::Instant,
) -> Outcome<Option<i32>> {
    let with_env_files;
    let step = if step.env_files.is_empty() {
        step
    } else {
        with_env_files = read_env_files(step, &env.workspace)?;
        &with_env_files
    };
    let (image, args) = (&container_run.run.image, &container_run.run.args);
    shared.runnable_here(image)?;
    let outputs = super::redirect::open(&env.workspace, &container_run.streams)?;
    let words: Vec<String> = std::iter::once(image.clone())
        .chain(args.iter().cloned())
        .collect();
    let registries: Vec<String> = registry_of(image).into_iter().collect();
    let auth = StepLogins::look_up(env, &registries)
        .await
        .auth_file(env, "cmd")?;
    let conf = insecure_env(env, &registries)?;
    // podman and docker run the container themselves; buildah needs from + run.
    let builder::Containers::Working(containers) = env.builder().containers() else {
        let run = ToolRun {
            image,
            args,
            words: &words,
            auth: auth.path(),
            conf,
        };
        shared.container_starting(step);
        return run_with_container_tool(step, &run, env, volumes, deadline, outputs).await;
    };
    let container = working_container(step, containers, image, env, auth.path(), &conf).await?;
    shared.container_starting(step);
    let argv = container_argv(step, containers, &container, args).await?;
    let result = run_container(
        step, containers, &container, &argv, env, volumes, deadline, outputs,
    )
    .await;
    if !step.keep {
        let remove = containers.remove(&container);
        let _ = process_command(&remove).output().await;
    }
    result
}

/// The process of `step` as a command, its output captured.
fn process_command(step: &ProcessStep) -> tokio::process::Command {
    let mut cmd = crate::host::command(&step.program);
    cmd.args(&step.args)
        .envs(step.env.iter().map(|(k, v)| (k, v)));
    cmd
}

/// The step with its `--env-file` variables (read now: an earlier step may have written the
/// files) under its own `env`, which wins per key.
fn read_env_files(step: &Step, workspace: &Path) -> Outcome<Step> {
    use crate::engine::steps::{env_file, validate::merge_env};
    let mut env = Vec::new();
    for rel in &step.env_files {
        let vars = env_file::read(workspace, rel).map_err(|e| failure(format!("cmd: {e}")))?;
        merge_env(&mut env, vars);
    }
    merge_env(&mut env, step.env.clone());
    Ok(Step {
        env,
        ..step.clone()
    })
}

/// A cmd step for podman or docker, which run the container themselves.
struct ToolRun<'a> {
    image: &'a str,
    args: &'a [String],
    /// The whole cmd, to check for secrets (they would be on the tool's command line).
    words: &'a [String],
    auth: &'a Path,
    conf: Vec<(String, String)>,
}

async fn run_with_container_tool(
    step: &Step,
    run: &ToolRun<'_>,
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    deadline: tokio::time::Instant,
    outputs: Outputs,
) -> Outcome<Option<i32>> {
    let runtime = env.builder().name();
    let program = env.builder().program().to_path_buf();
    let (image, args, words) = (run.image, run.args, run.words);
    if words.iter().any(|w| env.holds_secret(w))
        || step.env.iter().any(|(_, v)| env.holds_secret(v))
    {
        return Err(failure(format!(
            "step '{}': a secret in a cmd step would be on {runtime}'s command line; run cmd steps \
                 that use secrets with the buildah builder (--builder buildah), or mount the secret \
                 as a volume file",
            step.id
        )));
    }
    let registries: Vec<String> = registry_of(image).into_iter().collect();
    let step_tag = step.id.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
    let options = builder::RunOptions {
        step_tag: &step_tag,
        auth_file: run.auth,
        insecure_registries: &insecure_registries(env, &registries),
    };
    let (tool_flags, tool_env) = env
        .builder()
        .run_options(&options, &env.work)
        .map_err(fail)?;
    let argv = container_run_args(step, tool_flags, image, args, &env.workspace, volumes)?;
    let process_env = [run.conf.clone(), tool_env].concat();
    let launch = ProcessStep {
        program: program.clone(),
        args: argv,
        env: process_env,
    };
    match process_exit_to(&step.id, launch, env, deadline, outputs).await? {
        // podman's and docker's own codes: 125 the tool failed, 126 the container could
        // not be started (its OCI runtime refused); anything else is the command's.
        Some(126) => Err(failure(format!(
            "{runtime} could not start the container (exit 126: its OCI runtime failed, see \
                 the log); {runtime} cannot run containers on this machine: run cmd steps with \
                 --builder buildah"
        ))),
        code => Ok(code),
    }
}

/// A working container of `image` for the step: pulled (with the step's logins), else an
/// image an earlier build step left in local storage. Its id is recorded for cleanup.
async fn working_container(
    step: &Step,
    containers: &dyn WorkingContainers,
    image: &str,
    env: &StepEnv<'_>,
    auth: &Path,
    conf: &[(String, String)],
) -> Result<String, Stop> {
    // The container is known by its id (never reused), not its name (buildah gives the name
    // of a removed container to the next one): that is what a cleanup may remove.
    // A kept container's cid file is named apart: a cleanup removes the others.
    let prefix = if step.keep {
        "kept-"
    } else {
        crate::engine::cleanup::CID_FILE_PREFIX
    };
    let cid_file = |attempt: &str| {
        env.work.join(format!(
            "{prefix}{}-{attempt}-{}",
            step.id.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos()
        ))
    };
    let container_id = |file: &Path| -> Option<String> {
        let id = std::fs::read_to_string(file).ok()?.trim().to_string();
        // A step that keeps its container keeps it whatever happens to the run.
        if !step.keep {
            crate::engine::cleanup::record_container(&env.work, &id);
        }
        (!id.is_empty()).then_some(id)
    };
    let create = |source, cid: &Path| -> Result<tokio::process::Command, Stop> {
        let mut create = containers
            .create(image, source, cid, &env.work)
            .map_err(fail)?;
        create.env.extend(conf.iter().cloned());
        Ok(process_command(&create))
    };
    let pulled_cid = cid_file("pull");
    let mut from = create(ImageSource::Pull { auth_file: auth }, &pulled_cid)?;
    let from = crate::engine::process::output_in_group(&mut from, env.journal)
        .await
        .map_err(|e| {
            failure(format!(
                "cannot run {}: {e}; install it (scripts/setup)",
                env.builder().name()
            ))
        })?;
    if from.status.success() {
        return Ok(container_id(&pulled_cid)
            .unwrap_or_else(|| String::from_utf8_lossy(&from.stdout).trim().to_string()));
    }
    // Images an earlier build step made live only in local storage: try without pulling.
    let local_cid = cid_file("local");
    let mut local = create(ImageSource::Local, &local_cid)?;
    match crate::engine::process::output_in_group(&mut local, env.journal).await {
        Ok(out) if out.status.success() => Ok(container_id(&local_cid)
            .unwrap_or_else(|| String::from_utf8_lossy(&out.stdout).trim().to_string())),
        _ => Err(failure(format!(
            "cannot get the image {image}: {}{}",
            String::from_utf8_lossy(&from.stderr).trim(),
            docker_cli_hint(image)
        ))),
    }
}

/// ACR gives every cmd step the host's Docker daemon, so task files use Docker Hub's docker
/// image (`cmd: docker pull ...`) as a Docker CLI. There is no daemon to give it here.
fn docker_cli_hint(image: &str) -> &'static str {
    let repository = image.split([':', '@']).next().unwrap_or(image);
    if matches!(
        repository,
        "docker" | "library/docker" | "docker.io/library/docker"
    ) {
        "; `cmd: docker ...` runs the Docker CLI against ACR's Docker daemon, and acrt runs \
         none: build with a `build:` step and run images with `cmd: IMAGE ...` instead"
    } else {
        ""
    }
}

/// What runs in the container, as docker would run it: the step's entry point (else the
/// image's) followed by the step's arguments (else the image's command). A working
/// container's run applies neither, so they are read from the container's image config.
async fn container_argv(
    step: &Step,
    containers: &dyn WorkingContainers,
    container: &str,
    args: &[String],
) -> Result<Vec<String>, Stop> {
    let config = process_command(&containers.inspect(container))
        .output()
        .await
        .ok()
        .and_then(|o| serde_json::from_slice::<Value>(&o.stdout).ok())
        .unwrap_or(Value::Null);
    let image_config = &config["OCIv1"]["config"];
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let entrypoint = match &step.entry_point {
        Some(e) => e.clone(),
        None => strings(&image_config["Entrypoint"]),
    };
    let command = if args.is_empty() {
        strings(&image_config["Cmd"])
    } else {
        args.to_vec()
    };
    let argv: Vec<String> = entrypoint.into_iter().chain(command).collect();
    if argv.is_empty() {
        return Err(failure(
            "the image has no entrypoint or command, and the step gives none",
        ));
    }
    Ok(argv)
}

/// The workspace at /workspace, the step's working directory (`workdir_flag`: buildah's
/// `--workingdir`, podman's and docker's `-w`), its `-v` directories of the workspace, its
/// secret volumes read-only, and its user: the same for every container tool.
fn mount_flags(
    step: &Step,
    workspace: &Path,
    volumes: &[(String, PathBuf)],
    workdir_flag: &str,
) -> Result<Vec<std::ffi::OsString>, Stop> {
    let mut flags: Vec<std::ffi::OsString> = vec![
        "-v".into(),
        format!(
            "{}:{}",
            workspace.display(),
            crate::engine::steps::DEFAULT_WORKING_DIRECTORY
        )
        .into(),
    ];
    if !step.disable_working_directory_override {
        flags.extend([workdir_flag.into(), step.working_directory.clone().into()]);
    }
    for bind in &step.binds {
        let dir = workspace_dir(workspace, bind)?;
        let mode = if bind.read_only { ":ro" } else { "" };
        flags.extend([
            "-v".into(),
            format!("{}:{}{mode}", dir.display(), bind.target).into(),
        ]);
    }
    for m in &step.volume_mounts {
        if let Some((_, dir)) = volumes.iter().find(|(n, _)| *n == m.name) {
            flags.extend([
                "-v".into(),
                format!("{}:{}:ro", dir.display(), m.mount_path).into(),
            ]);
        }
    }
    if let Some(u) = &step.user {
        flags.extend(["--user".into(), u.into()]);
    }
    Ok(flags)
}

/// The host directory a `-v` names: inside the workspace however its links point (a link
/// out of it is refused), made when missing, as docker makes it.
fn workspace_dir(workspace: &Path, bind: &WorkspaceBind) -> Result<PathBuf, Stop> {
    let failed = |e: &dyn std::fmt::Display| failure(format!("cmd: -v: {e:#}"));
    let source = if bind.source.is_empty() {
        "."
    } else {
        &bind.source
    };
    let dir = crate::context::resolve_inside(workspace, source, "the volume source")
        .map_err(|e| failed(&e))?;
    std::fs::create_dir_all(&dir).map_err(|e| failed(&e))?;
    Ok(dir)
}

/// A run of `argv` in the step's working container: its exit code (None: a signal).
#[allow(clippy::too_many_arguments)]
async fn run_container(
    step: &Step,
    containers: &dyn WorkingContainers,
    container: &str,
    argv: &[String],
    env: &StepEnv<'_>,
    volumes: &[(String, PathBuf)],
    deadline: tokio::time::Instant,
    outputs: Outputs,
) -> Outcome<Option<i32>> {
    let mut run = mount_flags(step, &env.workspace, volumes, "--workingdir")?;
    let launch = crate::engine::steps::script::launch(&env.work, &step.id, argv, &step.env, |t| {
        env.holds_secret(t)
    })
    .map_err(|e| failure(format!("cannot write the step's script: {e}")))?;
    if let Some(dir) = &launch.script_dir {
        env.log.line(&format!(
            "[{}] secrets reach this step through a private script ({}/run.sh, run by the image's /bin/sh), never a command line",
            step.id,
            crate::engine::steps::script::MOUNT
        ));
        run.extend([
            "-v".into(),
            format!(
                "{}:{}:ro",
                dir.display(),
                crate::engine::steps::script::MOUNT
            )
            .into(),
        ]);
    }
    for (k, v) in &launch.plain_env {
        run.extend(["--env".into(), format!("{k}={v}").into()]);
    }
    process_exit_to(
        &step.id,
        containers.run(container, run, &launch.argv),
        env,
        deadline,
        outputs,
    )
    .await
}

/// `podman run` / `docker run` for a cmd step: the workspace at /workspace, the step's
/// working directory, env, user, entry point and secret volumes; removed afterwards unless
/// `keep`.
fn container_run_args(
    step: &Step,
    tool_flags: Vec<std::ffi::OsString>,
    image: &str,
    args: &[String],
    workspace: &Path,
    volumes: &[(String, PathBuf)],
) -> Result<Vec<std::ffi::OsString>, Stop> {
    let mut argv: Vec<std::ffi::OsString> = vec!["run".into()];
    argv.extend(tool_flags);
    if !step.keep {
        argv.push("--rm".into());
    }
    argv.extend(mount_flags(step, workspace, volumes, "-w")?);
    for (k, v) in &step.env {
        argv.extend(["--env".into(), format!("{k}={v}").into()]);
    }
    let mut rest = args.to_vec();
    if let Some(entry_point) = &step.entry_point {
        // An empty --entrypoint clears the image's, in podman and docker alike.
        let (program, words) = entry_point
            .split_first()
            .map_or(("", &[][..]), |(p, w)| (p.as_str(), w));
        argv.extend(["--entrypoint".into(), program.into()]);
        rest = words.iter().cloned().chain(rest).collect();
    }
    argv.push(image.into());
    argv.extend(rest.into_iter().map(Into::into));
    Ok(argv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::steps::StepKind;

    fn step() -> Step {
        Step {
            id: "t".into(),
            line: 1,
            kind: StepKind::Build("-t img .".into()),
            after: Vec::new(),
            env: vec![("A".into(), "1".into())],
            env_files: Vec::new(),
            entry_point: Some(vec!["sh".into(), "-c".into()]),
            working_directory: "/workspace/src".into(),
            disable_working_directory_override: false,
            timeout: 10,
            start_delay: 0,
            retries: 0,
            retry_delay: 0,
            repeat: 0,
            ignore_errors: false,
            keep: false,
            volume_mounts: vec![crate::engine::steps::VolumeMount {
                name: "s".into(),
                mount_path: "/run/s".into(),
            }],
            binds: Vec::new(),
            user: Some("1000".into()),
            detach: false,
            unsupported: Vec::new(),
        }
    }

    #[test]
    fn a_docker_cli_step_is_explained() {
        for image in [
            "docker",
            "docker:24-cli",
            "library/docker",
            "docker.io/library/docker",
        ] {
            assert!(docker_cli_hint(image).contains("build:"), "{image}");
        }
        for image in ["localhost:5000/docker", "dockerd", "busybox"] {
            assert_eq!(docker_cli_hint(image), "", "{image}");
        }
    }

    #[test]
    fn podman_and_docker_run_a_cmd_step_like_buildah_does() {
        let volumes = vec![("s".to_string(), PathBuf::from("/tmp/vol"))];
        let argv: Vec<String> = container_run_args(
            &step(),
            Vec::new(),
            "img:1",
            &["echo hi".into()],
            Path::new("/ws"),
            &volumes,
        )
        .unwrap()
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
        assert_eq!(
            argv,
            [
                "run",
                "--rm",
                "-v",
                "/ws:/workspace",
                "-w",
                "/workspace/src",
                "-v",
                "/tmp/vol:/run/s:ro",
                "--user",
                "1000",
                "--env",
                "A=1",
                "--entrypoint",
                "sh",
                "img:1",
                "-c",
                "echo hi"
            ]
        );
        let podman = container_run_args(
            &step(),
            vec!["--authfile".into(), "/a.json".into()],
            "img:1",
            &[],
            Path::new("/ws"),
            &volumes,
        )
        .unwrap();
        assert_eq!(
            podman[1..3],
            ["--authfile".into(), std::ffi::OsString::from("/a.json")]
        );
    }

    #[test]
    fn an_entrypoint_program_with_a_space_reaches_podman_and_docker_whole() {
        let mut spaced = step();
        spaced.entry_point = Some(vec!["my tool".into()]);
        let argv = container_run_args(
            &spaced,
            Vec::new(),
            "img:1",
            &["a".into()],
            Path::new("/ws"),
            &[],
        )
        .unwrap();
        assert!(
            argv.ends_with(&[
                "--entrypoint".into(),
                "my tool".into(),
                "img:1".into(),
                "a".into()
            ]),
            "{argv:?}"
        );
    }
}
