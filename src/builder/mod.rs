//! Image builders: one trait, one file per backend. A builder turns a build request into the
//! processes to run (build, then push each image); the engine runs them, streams their output
//! and reads back the digests they pushed.

mod archive;
mod buildah;
mod docker;
mod podman;
pub mod pool;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Result, invalid};
use crate::host;
use crate::model::{BuildArg, BuilderKind, Platform, SourceDateEpoch};

pub use archive::{ArchiveToLayout, BaseLayers};
pub use buildah::{Buildah, containers_of_run};
pub use docker::{Docker, remove_run_containers};
pub use podman::Podman;

pub struct BuildRequest {
    pub context_dir: PathBuf,
    pub dockerfile: PathBuf,
    /// Every name the image gets; pushed when `push` is set.
    pub images: Vec<String>,
    /// NAME, VALUE, secret. A plain one goes on the argument list (`--build-arg NAME=VALUE`);
    /// a secret one through the environment under its own name, when that name cannot change
    /// how the builder runs, and as a secret file (`RUN --mount=type=secret,id=NAME`).
    pub build_args: Vec<BuildArg>,
    pub target: Option<String>,
    pub platform: Platform,
    pub no_cache: bool,
    pub push: bool,
    /// A containers-auth / Docker config file with the logins the build needs.
    pub auth_file: PathBuf,
    /// Registries to speak plain http to (loopback ones).
    pub insecure_registries: Vec<String>,
    /// Annotations of the image's manifest (`org.opencontainers.image.base.*`).
    pub annotations: Vec<(String, String)>,
    /// The time every timestamp of the image is set to (its config's `created`, its history,
    /// its files), so that the same inputs give the same digest; None: the builder's clock.
    pub source_date_epoch: Option<SourceDateEpoch>,
    /// Where the built image goes as an OCI image layout (a directory) instead of being
    /// pushed: one platform of a multi-platform build, which acrt pushes itself. `images`
    /// then holds one local name, removed once the layout is written.
    pub layout: Option<PathBuf>,
}

/// One process of a build: the program by absolute path, and what acrt adds to its own
/// environment for it.
#[derive(Debug, Clone)]
pub struct ProcessStep {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(String, String)>,
}

/// The processes that read a built image's config back from a builder's storage.
pub struct ConfigRead {
    /// Prints the config's digest (the image's id), where that is cheaper than the config;
    /// None: the digest of what `config` gives.
    pub digest: Option<ProcessStep>,
    /// Prints the config, or writes what `read` takes it from.
    pub config: ProcessStep,
    /// The config's bytes, from what `config` printed.
    pub read: Box<dyn Fn(Vec<u8>) -> Result<Vec<u8>> + Send + Sync>,
}

#[derive(Debug, Default)]
pub struct BuildPlan {
    pub steps: Vec<ProcessStep>,
    /// What acrt writes itself once the steps are done: the image a docker without buildx
    /// saved, as the request's OCI layout.
    pub layout_from_archive: Option<ArchiveToLayout>,
}

/// A push of an image the builder has in its storage (a task file's `push` step).
pub struct PushRequest<'a> {
    pub image: &'a str,
    pub auth_file: &'a Path,
    pub insecure_registries: &'a [String],
}

pub trait Builder: Send + Sync {
    fn name(&self) -> &'static str;
    /// The builder's program, by the absolute path found when it was selected.
    fn program(&self) -> &Path;
    /// What the run log and the run record show: the builder, and where it builds.
    fn describe(&self) -> String {
        format!("{} ({})", self.name(), self.program().display())
    }
    /// What to do when the builder refused a registry's certificate: where the builder takes
    /// a private CA from.
    fn trust_hint(&self) -> &'static str {
        CA_FILE_HINT
    }
    /// The processes that build (and push) `request`; files go under `work`.
    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan>;
    /// The process that pushes an image the builder built.
    fn push(&self, request: &PushRequest<'_>, work: &Path) -> Result<ProcessStep>;
    /// How to read back the config of `image`, which a build left in the builder's storage
    /// without pushing it, so that a run can tell whether it is the image pushed last time
    /// before pushing it. None: this builder pushes in its build (buildx), or its storage
    /// is not read here (podman).
    fn config_read(&self, image: &str, work: &Path) -> Option<ConfigRead> {
        let _ = (image, work);
        None
    }
    /// How a cmd step's container runs: by the builder's own `run` (`name() run ...`),
    /// unless the builder says otherwise.
    fn containers(&self) -> Containers<'_> {
        Containers::Run
    }
    /// For a builder whose own `run` runs a cmd step's container ([`Containers::Run`]): the
    /// flags its `run` takes before the image and the environment it runs with (logins,
    /// where the container's id is kept for a cleanup); files go under `work`.
    fn run_options(
        &self,
        request: &RunOptions<'_>,
        work: &Path,
    ) -> Result<(Vec<OsString>, EnvVars)> {
        let _ = work;
        Ok((
            vec!["--authfile".into(), request.auth_file.into()],
            Vec::new(),
        ))
    }
}

/// Where buildah and podman take a private CA from: acrt's own setting, which they are given.
pub const CA_FILE_HINT: &str =
    "for a registry with a private CA, 'acrt config set core.ca_file=/path/to/ca.pem'";

/// What a cmd step's `run` needs of its builder.
pub struct RunOptions<'a> {
    /// The step's id, made safe for a file name.
    pub step_tag: &'a str,
    pub auth_file: &'a Path,
    pub insecure_registries: &'a [String],
}

/// How a builder runs a cmd step's container.
pub enum Containers<'a> {
    /// Its `run` makes the container, runs it and removes it (podman, docker).
    Run,
    /// A working container made from the image, run in and removed, each by a process of
    /// its own (buildah).
    Working(&'a dyn WorkingContainers),
}

/// Where a working container's image comes from.
pub enum ImageSource<'a> {
    /// Pulled, with the logins in this auth file.
    Pull { auth_file: &'a Path },
    /// Local storage only (an image an earlier build step made).
    Local,
}

/// The processes of a working container's life: made, inspected, run in, removed.
pub trait WorkingContainers: Send + Sync {
    /// Makes a container of `image`, its id written to `cid_file` (files go under `work`).
    fn create(
        &self,
        image: &str,
        source: ImageSource<'_>,
        cid_file: &Path,
        work: &Path,
    ) -> Result<ProcessStep>;
    /// Prints the container's configuration as JSON, its image's under `OCIv1.config`.
    fn inspect(&self, container: &str) -> ProcessStep;
    /// Runs `argv` in the container with `flags` (mounts, working dir, env, user).
    fn run(&self, container: &str, flags: Vec<OsString>, argv: &[String]) -> ProcessStep;
    /// Removes the container.
    fn remove(&self, container: &str) -> ProcessStep;
}

/// The builder to use: `choice` (--builder, else config, else ACRT_BUILDER), else the first
/// usable of buildah (daemonless), podman, docker (when its daemon answers). Its program is
/// found on acrt's own PATH now, before any of a run's input is read. A podman service URL
/// (`core.builder_url`, else podman's own CONTAINER_HOST) makes podman build there, through
/// its remote API. Blocking (it may ask a daemon or a service): call it off the runtime.
pub fn select(choice: Option<BuilderKind>, url: Option<&str>) -> Result<Box<dyn Builder>> {
    let url = url.map(str::to_string).or_else(|| {
        host::base_env()
            .find(|(k, _)| *k == "CONTAINER_HOST")
            .map(|(_, v)| v.to_string_lossy().into_owned())
            .filter(|v| !v.is_empty())
    });
    if let Some(url) = url.filter(|_| choice.is_none_or(|c| c == BuilderKind::Podman)) {
        return podman::remote(&url);
    }
    if let Some(kind) = choice {
        let name = kind.as_str();
        let package = if kind == BuilderKind::Docker {
            "docker.io"
        } else {
            name
        };
        let Some(program) = host::find(name) else {
            return Err(invalid(format!(
                "the builder '{name}' is not installed: install it (e.g. apt-get install {package}) or pick another \
                 with --builder ({})",
                BuilderKind::names()
            )));
        };
        return of_kind(kind, program);
    }
    for kind in [
        BuilderKind::Buildah,
        BuilderKind::Podman,
        BuilderKind::Docker,
    ] {
        // docker only when its daemon answers.
        if let Some(program) = host::find(kind.as_str())
            && let Ok(builder) = of_kind(kind, program)
        {
            return Ok(builder);
        }
    }
    Err(invalid(
        "no image builder found: install buildah (apt-get install buildah; it needs no daemon), podman, \
         or docker with a running daemon",
    ))
}

/// The builder of `kind` with `program`; docker's daemon and client asked what they can do.
fn of_kind(kind: BuilderKind, program: PathBuf) -> Result<Box<dyn Builder>> {
    Ok(match kind {
        BuilderKind::Buildah => Box::new(Buildah { program }),
        BuilderKind::Docker => Box::new(docker::probe(&program, None)?),
        BuilderKind::Podman => Box::new(Podman { program, url: None }),
    })
}

/// A run's builder: a named builder of the pool (`pool`: its kind and URL) reached where it
/// is ([`connect`]), else [`select`]. Blocking.
pub fn of_run(
    kind: Option<BuilderKind>,
    url: Option<&str>,
    pool: bool,
) -> Result<Box<dyn Builder>> {
    match kind {
        Some(kind) if pool => connect(kind, url),
        _ => select(kind, url),
    }
}

/// A builder of `kind` at `url` (None: this machine), asked now whether it answers: a named
/// builder of the pool. Blocking.
pub fn connect(kind: BuilderKind, url: Option<&str>) -> Result<Box<dyn Builder>> {
    let Some(url) = url else {
        return select(Some(kind), None);
    };
    match kind {
        BuilderKind::Podman => podman::remote(url),
        BuilderKind::Docker => {
            let program = host::program("docker", "apt-get install docker.io")?;
            Ok(Box::new(docker::probe(&program, Some(url))?))
        }
        BuilderKind::Buildah => Err(invalid(
            "buildah builds on this machine only: a builder elsewhere is podman or docker",
        )),
    }
}

pub fn on_path(program: &str) -> bool {
    host::find(program).is_some()
}

/// Environment variables acrt adds for one process.
type EnvVars = Vec<(String, String)>;

/// The build-argument flags and the environment that carries secret values. A plain
/// argument is `--build-arg NAME=VALUE`; a secret one is `--build-arg NAME` with its value in
/// the environment (refused under a name the builder itself reads) and also a secret file
/// for `RUN --mount=type=secret,id=NAME`, the way to use it without putting it in the image.
fn build_arg_flags(request: &BuildRequest, work: &Path) -> Result<(Vec<OsString>, EnvVars)> {
    let mut args = Vec::new();
    let mut env = Vec::new();
    for BuildArg {
        name,
        value,
        secret,
    } in &request.build_args
    {
        if name.is_empty() || name.contains(['=', '\0']) {
            return Err(invalid(format!(
                "the build argument name '{name}' is not valid: give NAME=VALUE"
            )));
        }
        if !secret {
            args.push("--build-arg".into());
            args.push(format!("{name}={value}").into());
            continue;
        }
        host::check_secret_env_name("the secret build argument", name)?;
        args.push("--build-arg".into());
        args.push(name.into());
        env.push((name.clone(), value.clone()));
        // The secret's value in a 0600 file of the run's own work dir.
        let file = host::write_private(&work.join("secrets"), name, value.as_bytes())?;
        args.push("--secret".into());
        args.push(format!("id={name},type=file,src={}", file.display()).into());
    }
    Ok((args, env))
}

/// CONTAINERS_REGISTRIES_CONF for buildah and podman: the system's registries.conf plus an
/// insecure (plain http) entry per loopback registry, in a file of its own under `work` (steps
/// that run in parallel each have theirs). Nothing when no registry needs one.
pub(crate) fn registries_conf_env(insecure: &[String], work: &Path) -> Result<EnvVars> {
    if insecure.is_empty() {
        return Ok(Vec::new());
    }
    let mut text = std::fs::read_to_string("/etc/containers/registries.conf").unwrap_or_default();
    text.push('\n');
    for r in insecure {
        text.push_str(&format!(
            "[[registry]]\nlocation = \"{r}\"\ninsecure = true\n\n"
        ));
    }
    let file = tempfile::Builder::new()
        .prefix("registries-")
        .suffix(".conf")
        .tempfile_in(work)?;
    std::fs::write(file.path(), text)?;
    // Kept until the run's work dir goes.
    let path = file.into_temp_path().keep()?;
    Ok(vec![(
        "CONTAINERS_REGISTRIES_CONF".to_string(),
        path.display().to_string(),
    )])
}

/// `--platform P` only when P is not this machine's own: builders then build natively and do
/// not warn about the TARGET* build args that a platform flag brings in.
fn platform_flag(platform: &Platform) -> Vec<OsString> {
    let native = platform.os == std::env::consts::OS
        && platform.architecture == crate::model::platform::native_architecture()
        && platform.variant.is_none();
    if native {
        Vec::new()
    } else {
        vec!["--platform".into(), platform.to_string().into()]
    }
}

/// buildah's and podman's `--timestamp SECONDS`: the config's and the history's `created`
/// and every file of the layers the build adds get that time (buildah 1.28 and podman 4.3
/// have no `--source-date-epoch` or `--rewrite-timestamp`; `--timestamp` does both there).
/// With `--no-cache`: their layer cache does not key on the timestamp, so a cached step
/// would bring the time of whichever build cached it (measured with buildah 1.28: a step
/// cached by a build at 1000 kept 1000 in a build at 3000).
fn timestamp_flags(request: &BuildRequest) -> Vec<OsString> {
    let Some(epoch) = request.source_date_epoch else {
        return Vec::new();
    };
    let mut flags: Vec<OsString> = vec!["--timestamp".into(), epoch.seconds().to_string().into()];
    if !request.no_cache {
        flags.push("--no-cache".into());
    }
    flags
}

/// `--cert-dir DIR` with the private CA of `core.ca_file` (buildah and podman read every
/// `*.crt` in it), or nothing when none is configured.
pub(crate) fn cert_dir_flags(work: &Path) -> Result<Vec<OsString>> {
    let Some(pem) = crate::registry::ca_pem()? else {
        return Ok(Vec::new());
    };
    let dir = work.join("certs");
    host::write_private(&dir, "ca.crt", &pem)?;
    Ok(vec!["--cert-dir".into(), dir.into()])
}

/// `FLAG KEY=VALUE` for each of the image's annotations (`--annotation`, or docker's
/// `--label`).
fn annotation_flags(flag: &str, request: &BuildRequest) -> Vec<OsString> {
    request
        .annotations
        .iter()
        .flat_map(|(key, value)| [flag.into(), format!("{key}={value}").into()])
        .collect()
}

/// What every builder takes alike: the Dockerfile, every tag, the target stage and
/// `--no-cache`.
fn image_flags(request: &BuildRequest) -> Vec<OsString> {
    let mut flags: Vec<OsString> = vec!["-f".into(), request.dockerfile.clone().into()];
    for image in &request.images {
        flags.extend(["-t".into(), image.into()]);
    }
    if let Some(t) = &request.target {
        flags.extend(["--target".into(), t.into()]);
    }
    if request.no_cache {
        flags.push("--no-cache".into());
    }
    flags
}

/// How buildah and podman, which take the same flags, are invoked.
struct ContainersCli<'a> {
    program: &'a Path,
    /// Flags before the command (`--url URL` for a podman service).
    global: Vec<OsString>,
    env: EnvVars,
    /// A service elsewhere: its own storage, registries.conf and CAs, which acrt's files on
    /// this machine would not reach.
    remote: bool,
    /// What push takes after its flags, for an image.
    push_target: fn(&str) -> Vec<OsString>,
}

impl ContainersCli<'_> {
    /// The flags and environment for reaching registries: the CA of `core.ca_file` and a
    /// registries.conf for loopback ones; for a service, which reads neither,
    /// `--tls-verify=false` when loopback (plain http) registries are involved.
    fn registry_access(
        &self,
        insecure: &[String],
        work: &Path,
    ) -> Result<(Vec<OsString>, EnvVars)> {
        let mut env = self.env.clone();
        if self.remote {
            let flags = if insecure.is_empty() {
                Vec::new()
            } else {
                vec!["--tls-verify=false".into()]
            };
            return Ok((flags, env));
        }
        env.extend(registries_conf_env(insecure, work)?);
        Ok((cert_dir_flags(work)?, env))
    }

    /// Build with every tag (and the backend's own `flags`), then push each image.
    fn plan(
        &self,
        build_command: &[&str],
        flags: Vec<OsString>,
        request: &BuildRequest,
        work: &Path,
    ) -> Result<BuildPlan> {
        let (access, env) = self.registry_access(&request.insecure_registries, work)?;
        let (arg_flags, arg_env) = build_arg_flags(request, work)?;
        let mut build = self.global.clone();
        build.extend(build_command.iter().map(Into::into));
        build.extend(flags);
        build.extend(["--authfile".into(), request.auth_file.clone().into()]);
        build.extend(access);
        build.extend(platform_flag(&request.platform));
        build.extend(timestamp_flags(request));
        build.extend(image_flags(request));
        build.extend(annotation_flags("--annotation", request));
        build.extend(arg_flags);
        build.push(request.context_dir.clone().into());
        let mut steps = vec![ProcessStep {
            program: self.program.into(),
            args: build,
            env: [env, arg_env].concat(),
        }];
        if let Some(layout) = &request.layout {
            steps.extend(self.export(request, layout)?);
        } else if request.push {
            for image in &request.images {
                let push = PushRequest {
                    image,
                    auth_file: &request.auth_file,
                    insecure_registries: &request.insecure_registries,
                };
                steps.push(self.push(&push, work)?);
            }
        }
        Ok(BuildPlan {
            steps,
            layout_from_archive: None,
        })
    }

    /// The built image written to the OCI layout `layout` on this machine (a service's sent
    /// here by `save`), then its local name removed.
    fn export(&self, request: &BuildRequest, layout: &Path) -> Result<Vec<ProcessStep>> {
        let Some(image) = request.images.first() else {
            return Err(invalid("a platform's build needs a local name"));
        };
        if layout.to_string_lossy().contains(':') {
            return Err(invalid(format!(
                "the state directory {} holds a ':', which an image layout's path cannot: use \
                 another --state-dir",
                layout.display()
            )));
        }
        if let Some(parent) = layout.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let step = |args: Vec<OsString>| {
            let mut all = self.global.clone();
            all.extend(args);
            ProcessStep {
                program: self.program.into(),
                args: all,
                env: self.env.clone(),
            }
        };
        let write = match self.remote {
            true => vec![
                "save".into(),
                "--format".into(),
                "oci-dir".into(),
                "-o".into(),
                layout.into(),
                image.into(),
            ],
            false => {
                let target: OsString = format!("oci:{}", layout.display()).into();
                vec!["push".into(), image.into(), target]
            }
        };
        Ok(vec![step(write), step(vec!["rmi".into(), image.into()])])
    }

    fn push(&self, request: &PushRequest<'_>, work: &Path) -> Result<ProcessStep> {
        let (access, env) = self.registry_access(request.insecure_registries, work)?;
        let mut args = self.global.clone();
        args.extend(["push".into(), "--authfile".into(), request.auth_file.into()]);
        args.extend(access);
        args.extend((self.push_target)(request.image));
        Ok(ProcessStep {
            program: self.program.into(),
            args,
            env,
        })
    }
}
