//! Image builders: one trait, one file per backend. A builder turns a build request into the
//! processes to run (build, then push each image); the engine runs them, streams their output
//! and reads back the digests they pushed.

mod buildah;
mod docker;
mod podman;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Result, invalid};
use crate::host;
use crate::model::Platform;

pub use buildah::Buildah;
pub use docker::Docker;
pub use podman::Podman;

pub struct BuildRequest {
    pub context_dir: PathBuf,
    pub dockerfile: PathBuf,
    /// Every name the image gets; pushed when `push` is set.
    pub images: Vec<String>,
    /// NAME, VALUE, secret. A plain one goes on the argument list (`--build-arg NAME=VALUE`);
    /// a secret one through the environment under its own name, when that name cannot change
    /// how the builder runs, and as a secret file (`RUN --mount=type=secret,id=NAME`).
    pub build_args: Vec<(String, String, bool)>,
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
}

/// One process of a build: the program by absolute path, and what acrt adds to its own
/// environment for it.
#[derive(Debug, Clone)]
pub struct ProcessStep {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    pub env: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct BuildPlan {
    pub steps: Vec<ProcessStep>,
    /// Where each pushed image's digest will be written.
    pub digest_files: Vec<(String, PathBuf)>,
}

pub trait Builder {
    fn name(&self) -> &'static str;
    /// The builder's program, by the absolute path found when it was selected.
    fn program(&self) -> &Path;
    /// The processes that build (and push) `request`; files go under `work`.
    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan>;
}

pub const BUILDERS: &[&str] = &["buildah", "docker", "podman"];

/// The builder to use: `choice` (--builder, else config, else ACRT_BUILDER), else the first
/// usable of buildah (daemonless), podman, docker (when its daemon answers). Its program is
/// found on acrt's own PATH now, before any of a run's input is read.
pub fn select(choice: Option<&str>) -> Result<Box<dyn Builder>> {
    if let Some(name) = choice {
        let name = name.to_ascii_lowercase();
        if !BUILDERS.contains(&name.as_str()) {
            return Err(invalid(format!(
                "unknown builder '{name}': use one of {}",
                BUILDERS.join(", ")
            )));
        }
        let Some(program) = host::find(&name) else {
            return Err(invalid(format!(
                "the builder '{name}' is not installed: install it (e.g. apt-get install {name}) or pick another \
                 with --builder ({})",
                BUILDERS.join(", ")
            )));
        };
        if name == "docker" && !docker::daemon_answers(&program) {
            return Err(invalid(
                "the docker builder needs a running Docker daemon and none answers; start it, or use \
                 --builder buildah (no daemon needed)",
            ));
        }
        return Ok(by_name(&name, program));
    }
    for name in ["buildah", "podman", "docker"] {
        if let Some(program) = host::find(name)
            && (name != "docker" || docker::daemon_answers(&program))
        {
            return Ok(by_name(name, program));
        }
    }
    Err(invalid(
        "no image builder found: install buildah (apt-get install buildah; it needs no daemon), podman, \
         or docker with a running daemon",
    ))
}

fn by_name(name: &str, program: PathBuf) -> Box<dyn Builder> {
    match name {
        "docker" => Box::new(Docker { program }),
        "podman" => Box::new(Podman { program }),
        _ => Box::new(Buildah { program }),
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
    for (name, value, secret) in &request.build_args {
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

/// A registries.conf that marks loopback registries insecure (plain http), keeping the
/// system's settings; used by buildah and podman through CONTAINERS_REGISTRIES_CONF.
fn registries_conf(request: &BuildRequest, work: &Path) -> Result<Option<PathBuf>> {
    write_registries_conf(&request.insecure_registries, &work.join("registries.conf"))
}

/// Writes the system's registries.conf plus an insecure entry per registry to `path`;
/// None (and nothing written) when no registry needs one.
pub(crate) fn write_registries_conf(insecure: &[String], path: &Path) -> Result<Option<PathBuf>> {
    if insecure.is_empty() {
        return Ok(None);
    }
    let mut text = std::fs::read_to_string("/etc/containers/registries.conf").unwrap_or_default();
    text.push('\n');
    for r in insecure {
        text.push_str(&format!(
            "[[registry]]\nlocation = \"{r}\"\ninsecure = true\n\n"
        ));
    }
    std::fs::write(path, text)?;
    Ok(Some(path.to_path_buf()))
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

/// The plan buildah and podman share (they take the same flags): build with every tag, then
/// push each image with `--digestfile`. `push_target` gives push's trailing arguments.
fn containers_plan(
    program: &Path,
    build_command: &[&str],
    mut env: Vec<(String, String)>,
    push_target: impl Fn(&str) -> Vec<OsString>,
    request: &BuildRequest,
    work: &Path,
) -> Result<BuildPlan> {
    if let Some(conf) = registries_conf(request, work)? {
        env.push((
            "CONTAINERS_REGISTRIES_CONF".to_string(),
            conf.display().to_string(),
        ));
    }
    let (arg_flags, arg_env) = build_arg_flags(request, work)?;
    let cert_dir = cert_dir_flags(work)?;
    let mut build: Vec<OsString> = build_command.iter().map(Into::into).collect();
    build.extend(["--authfile".into(), request.auth_file.clone().into()]);
    build.extend(cert_dir.iter().cloned());
    build.extend(platform_flag(&request.platform));
    build.extend(["-f".into(), request.dockerfile.clone().into()]);
    for (key, value) in &request.annotations {
        build.extend(["--annotation".into(), format!("{key}={value}").into()]);
    }
    for image in &request.images {
        build.extend(["-t".into(), image.into()]);
    }
    if let Some(t) = &request.target {
        build.extend(["--target".into(), t.into()]);
    }
    if request.no_cache {
        build.push("--no-cache".into());
    }
    build.extend(arg_flags);
    build.push(request.context_dir.clone().into());
    let mut steps = vec![ProcessStep {
        program: program.into(),
        args: build,
        env: [env.clone(), arg_env].concat(),
    }];
    let mut digest_files = Vec::new();
    if request.push {
        for (i, image) in request.images.iter().enumerate() {
            let digest_file = work.join(format!("digest-{i}"));
            let mut args: Vec<OsString> = vec![
                "push".into(),
                "--authfile".into(),
                request.auth_file.clone().into(),
                "--digestfile".into(),
                digest_file.clone().into(),
            ];
            args.extend(cert_dir.iter().cloned());
            args.extend(push_target(image));
            steps.push(ProcessStep {
                program: program.into(),
                args,
                env: env.clone(),
            });
            digest_files.push((image.clone(), digest_file));
        }
    }
    Ok(BuildPlan {
        steps,
        digest_files,
    })
}
