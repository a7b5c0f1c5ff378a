//! docker: needs a running daemon, asked once per run what it and its client can do
//! ([`probe`]). With the buildx plugin a build is `docker buildx build --push`; without it
//! (Debian's and Ubuntu's `docker.io`), `docker build` with BuildKit (`DOCKER_BUILDKIT=1`),
//! then `docker push` per image; one platform of several is then built under a local name,
//! `docker save`d and written by acrt as an OCI layout (`archive.rs`). Either way the run
//! reads the pushed digest from the registry.
//! Logins reach docker through a private DOCKER_CONFIG directory per process, never the user's
//! and never argv. The daemon's own settings (insecure registries, `certs.d`) are the
//! daemon's: acrt checks them and says what to set, it cannot pass its own.

use std::ffi::OsString;
use std::net::{IpAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{
    ArchiveToLayout, BuildPlan, BuildRequest, Builder, ConfigRead, EnvVars, ProcessStep,
    PushRequest, RunOptions, annotation_flags, build_arg_flags, image_flags,
};
use crate::error::{Result, invalid};

/// How this docker builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildMode {
    /// `docker buildx build --push` (manifest annotations, one step).
    Buildx,
    /// `docker build` with `DOCKER_BUILDKIT=1` and `docker push`: clients before 23.0, which
    /// carry BuildKit's client themselves.
    BuiltinBuildKit,
}

/// What the daemon says of its registries (`docker info`'s `RegistryConfig`).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct DaemonRegistries {
    #[serde(rename = "InsecureRegistryCIDRs", default)]
    insecure_cidrs: Option<Vec<String>>,
    #[serde(rename = "IndexConfigs", default)]
    index_configs: Option<std::collections::BTreeMap<String, IndexConfig>>,
}

#[derive(Debug, Clone, Deserialize)]
struct IndexConfig {
    #[serde(rename = "Secure", default = "secure")]
    secure: bool,
}

fn secure() -> bool {
    true
}

impl DaemonRegistries {
    /// Whether the daemon speaks plain http to `registry` (HOST:PORT): named in its
    /// insecure registries, or an address of it in one of their CIDRs (127.0.0.0/8 always).
    pub fn allows_plain_http(&self, registry: &str) -> bool {
        if self
            .index_configs
            .as_ref()
            .and_then(|c| c.get(registry))
            .is_some_and(|c| !c.secure)
        {
            return true;
        }
        let cidrs: Vec<ipnet::IpNet> = self
            .insecure_cidrs
            .iter()
            .flatten()
            .filter_map(|c| c.parse().ok())
            .collect();
        addresses_of(registry)
            .iter()
            .any(|ip| cidrs.iter().any(|net| net.contains(ip)))
    }
}

/// The addresses of a registry's host, as the daemon would resolve it (here: this machine's
/// resolver).
fn addresses_of(registry: &str) -> Vec<IpAddr> {
    let host = match registry.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => registry,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<IpAddr>() {
        return vec![ip];
    }
    (host, 0)
        .to_socket_addrs()
        .map(|a| a.map(|s| s.ip()).collect())
        .unwrap_or_default()
}

pub struct Docker {
    pub program: PathBuf,
    /// The daemon (DOCKER_HOST) of a named builder; None: the one acrt's environment and the
    /// user's context name.
    pub host: Option<String>,
    pub mode: BuildMode,
    /// The daemon has no `bridge` network (`dockerd --bridge=none`): builds and containers
    /// use the host's network, as buildah's chroot builds do.
    pub host_network: bool,
    pub registries: DaemonRegistries,
    /// The user's Docker config directory: its contexts, CLI plugins and buildx builders are
    /// linked into each private one (never its logins).
    pub user_config: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Info {
    #[serde(rename = "ServerVersion", default)]
    server_version: String,
    #[serde(rename = "ServerErrors", default)]
    server_errors: Vec<String>,
    #[serde(rename = "RegistryConfig", default)]
    registry_config: Option<DaemonRegistries>,
    #[serde(rename = "ClientInfo", default)]
    client_info: Option<ClientInfo>,
}

#[derive(Deserialize)]
struct ClientInfo {
    #[serde(rename = "Plugins", default)]
    plugins: Option<Vec<Plugin>>,
}

#[derive(Deserialize)]
struct Plugin {
    #[serde(rename = "Name", default)]
    name: String,
}

/// Runs `docker ARGS` with acrt's environment (and the user's Docker config), at `host`
/// (DOCKER_HOST) when given; its stdout, or an error quoting what it said.
fn ask(program: &Path, host: Option<&str>, args: &[&str]) -> Result<String> {
    let mut cmd = crate::host::std_command(program);
    if let Some(host) = host {
        cmd.env("DOCKER_HOST", host);
    }
    cmd.args(args);
    let out = cmd
        .output()
        .map_err(|e| crate::host::cannot_start(&cmd, &e, "apt-get install docker.io"))?;
    if !out.status.success() {
        return Err(invalid(format!(
            "docker {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Asks the daemon and the client once what they can do: whether the daemon answers, its
/// registry settings, whether it has a bridge network, and how to build (buildx, else a
/// client with BuildKit built in; a newer client without buildx cannot build with BuildKit).
pub fn probe(program: &Path, host: Option<&str>) -> Result<Docker> {
    let info = ask(program, host, &["info", "--format", "{{json .}}"])
        .map_err(|e| no_daemon(&format!("{e:#}")))?;
    let info: Info = serde_json::from_str(info.trim())
        .map_err(|e| invalid(format!("docker info printed what acrt cannot read: {e}")))?;
    if info.server_version.is_empty() {
        return Err(no_daemon(&info.server_errors.join("; ")));
    }
    let buildx = info
        .client_info
        .and_then(|c| c.plugins)
        .unwrap_or_default()
        .iter()
        .any(|p| p.name == "buildx");
    let mode = if buildx {
        BuildMode::Buildx
    } else {
        let version = ask(
            program,
            host,
            &["version", "--format", "{{.Client.Version}}"],
        )?;
        builtin_mode(version.trim(), program)?
    };
    let networks = ask(program, host, &["network", "ls", "--format", "{{.Name}}"])?;
    Ok(Docker {
        program: program.to_path_buf(),
        host: host.map(str::to_string),
        mode,
        host_network: !networks.lines().any(|n| n.trim() == "bridge"),
        registries: info.registry_config.unwrap_or_default(),
        user_config: user_config_dir(),
    })
}

/// No daemon answered; `why` is what docker said.
fn no_daemon(why: &str) -> anyhow::Error {
    invalid(format!(
        "the docker builder needs a running Docker daemon and none answers ({why}); start it \
         (or set DOCKER_HOST), or use --builder buildah (no daemon needed)"
    ))
}

/// A client without buildx builds with BuildKit only before 23.0: from 23.0 on, `docker build`
/// hands BuildKit builds to buildx and refuses them without it.
fn builtin_mode(client_version: &str, program: &Path) -> Result<BuildMode> {
    let major: u32 = client_version
        .split(['.', '+', '-'])
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 23 {
        return Ok(BuildMode::BuiltinBuildKit);
    }
    Err(invalid(format!(
        "the docker client {} ({client_version}) builds with BuildKit only through the buildx \
         plugin, which is not installed: install it (Debian and Ubuntu: apt-get install \
         docker-buildx; Docker's packages: docker-buildx-plugin), or use --builder buildah",
        program.display()
    )))
}

/// The user's Docker config directory: DOCKER_CONFIG as acrt started, else ~/.docker.
fn user_config_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        crate::host::base_env()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| PathBuf::from(v))
            .filter(|v| !v.as_os_str().is_empty())
    };
    var("DOCKER_CONFIG").or_else(|| var("HOME").map(|h| h.join(".docker")))
}

/// What of the user's Docker config a private one links to: where the daemon is (contexts),
/// the CLI plugins (buildx among them) and buildx's builders. None holds a registry login.
const LINKED: [&str; 3] = ["contexts", "cli-plugins", "buildx"];

/// Docker Hub's key in a Docker config's `auths`.
const DOCKER_HUB_KEY: &str = "https://index.docker.io/v1/";

impl Docker {
    /// A private DOCKER_CONFIG directory under `work` (named `name`): the logins of
    /// `auth_file`, the user's current context, and links to the rest of the user's config.
    fn config_dir(&self, auth_file: &Path, work: &Path, name: &str) -> Result<PathBuf> {
        let dir = work.join(name);
        std::fs::create_dir_all(&dir)?;
        let mut config: serde_json::Value = serde_json::from_slice(&std::fs::read(auth_file)?)?;
        // docker looks Docker Hub's login up under its v1 address.
        if let Some(auths) = config["auths"].as_object_mut()
            && let Some(hub) = ["docker.io", "registry-1.docker.io", "index.docker.io"]
                .iter()
                .find_map(|k| auths.get(*k).cloned())
        {
            auths.insert(DOCKER_HUB_KEY.into(), hub);
        }
        if let Some(user) = &self.user_config {
            let current = std::fs::read(user.join("config.json"))
                .ok()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
                .and_then(|c| c["currentContext"].as_str().map(str::to_string));
            if let Some(current) = current {
                config["currentContext"] = current.into();
            }
            for linked in LINKED {
                let target = user.join(linked);
                let link = dir.join(linked);
                if target.exists() && !link.exists() {
                    std::os::unix::fs::symlink(&target, &link)?;
                }
            }
        }
        crate::host::replace_private(&dir.join("config.json"), &serde_json::to_vec(&config)?)?;
        Ok(dir)
    }

    /// The environment of a docker process: its private config, BuildKit for `docker build`.
    fn env(&self, config_dir: &Path) -> EnvVars {
        let mut env = vec![("DOCKER_CONFIG".into(), config_dir.display().to_string())];
        if let Some(host) = &self.host {
            env.push(("DOCKER_HOST".into(), host.clone()));
        }
        if self.mode == BuildMode::BuiltinBuildKit {
            env.push(("DOCKER_BUILDKIT".into(), "1".into()));
        }
        env
    }

    /// Refuses a plain-http registry the daemon would speak https to: only the daemon's own
    /// settings decide that.
    fn check_plain_http(&self, registries: &[String]) -> Result<()> {
        for registry in registries {
            if !self.registries.allows_plain_http(registry) {
                return Err(invalid(format!(
                    "the registry {registry} speaks plain http, and the Docker daemon would speak \
                     https to it: add it to the daemon's insecure registries (\"insecure-registries\": \
                     [\"{registry}\"] in /etc/docker/daemon.json, or dockerd --insecure-registry \
                     {registry}) and restart the daemon; acrt's own settings do not reach the daemon"
                )));
            }
        }
        Ok(())
    }

    /// The steps after a platform's build of several: its image saved (docker-archive) beside
    /// `layout`, its local name removed; and what acrt then writes from the archive.
    fn save_to_layout(
        &self,
        request: &BuildRequest,
        layout: &Path,
        config_dir: &Path,
    ) -> Result<(Vec<ProcessStep>, ArchiveToLayout)> {
        let Some(image) = request.images.first() else {
            return Err(invalid("a platform's build needs a local name"));
        };
        let mut name = layout.file_name().unwrap_or_default().to_os_string();
        name.push(".docker-archive.tar");
        let archive = layout.with_file_name(name);
        let step = |args: Vec<OsString>| ProcessStep {
            program: self.program.clone(),
            args,
            env: self.env(config_dir),
        };
        let steps = vec![
            step(vec![
                "save".into(),
                "--output".into(),
                archive.clone().into(),
                image.into(),
            ]),
            step(vec!["image".into(), "rm".into(), image.into()]),
        ];
        Ok((
            steps,
            ArchiveToLayout {
                archive,
                layout: layout.to_path_buf(),
                platform: request.platform.clone(),
                annotations: request.annotations.clone(),
                // The engine, which reads registries, names the base.
                base: None,
            },
        ))
    }

    fn network_flags(&self) -> Vec<OsString> {
        if self.host_network {
            vec!["--network".into(), "host".into()]
        } else {
            Vec::new()
        }
    }
}

/// The private DOCKER_CONFIG of a run's build, under its work dir.
const BUILD_CONFIG_DIR: &str = "docker-config";

/// The label every container of a run's `docker run`s carries; its value, a token of the run,
/// is kept in this file of the run's work dir, where a cleanup reads it.
const RUN_LABEL: &str = "acrt.run";
const RUN_LABEL_FILE: &str = "docker-run-label";

/// The run's label value, made on first use.
fn run_label(work: &Path) -> Result<String> {
    let file = work.join(RUN_LABEL_FILE);
    if let Ok(token) = std::fs::read_to_string(&file) {
        return Ok(token);
    }
    let mut bytes = [0u8; 16];
    getrandom(&mut bytes)?;
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    crate::host::write_private(work, RUN_LABEL_FILE, token.as_bytes())?;
    Ok(token)
}

fn getrandom(bytes: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read as _;
    std::fs::File::open("/dev/urandom")?.read_exact(bytes)
}

/// Removes every container of a run's `docker run`s (found by the run's label), running or
/// not: a `docker run` stopped with its run leaves its container to the daemon, and one
/// stopped while the daemon made it never learnt its id.
pub fn remove_run_containers(work: &Path) {
    let Ok(token) = std::fs::read_to_string(work.join(RUN_LABEL_FILE)) else {
        return;
    };
    let Some(program) = crate::host::find("docker") else {
        return;
    };
    let docker = |args: &[&str]| {
        crate::host::std_command(&program)
            .args(args)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let filter = format!("label={RUN_LABEL}={token}");
    // A container the daemon is still starting refuses removal ("is starting"), and a slow
    // daemon may finish making one after its client was stopped: listed again until none
    // is left, for a bounded time.
    for _ in 0..REMOVAL_ATTEMPTS {
        let listed = docker(&["ps", "--all", "--quiet", "--no-trunc", "--filter", &filter]);
        let ids: Vec<&str> = listed
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        if ids.is_empty() {
            return;
        }
        if docker(&[&["rm", "--force", "--volumes"][..], &ids].concat()).is_none() {
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    }
}

/// How many times a run's containers are listed and removed before they are left to the
/// next cleanup (about ten seconds of a daemon refusing).
const REMOVAL_ATTEMPTS: usize = 40;

impl Builder for Docker {
    fn name(&self) -> &'static str {
        "docker"
    }

    fn program(&self) -> &Path {
        &self.program
    }

    fn describe(&self) -> String {
        let how = match self.mode {
            BuildMode::Buildx => "buildx",
            BuildMode::BuiltinBuildKit => "BuildKit",
        };
        match &self.host {
            Some(host) => format!("docker (the daemon at {host}, {how})"),
            None => format!("docker ({}, {how})", self.program.display()),
        }
    }

    fn trust_hint(&self) -> &'static str {
        "the Docker daemon checks registry certificates itself and acrt's core.ca_file does not \
         reach it: put the registry's CA at /etc/docker/certs.d/HOST:PORT/ca.crt on the daemon's \
         machine"
    }

    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan> {
        self.check_plain_http(&request.insecure_registries)?;
        let config_dir = self.config_dir(&request.auth_file, work, BUILD_CONFIG_DIR)?;
        let (arg_flags, arg_env) = build_arg_flags(request, work)?;
        let mut args: Vec<OsString> = match self.mode {
            BuildMode::Buildx => vec!["buildx".into(), "build".into()],
            BuildMode::BuiltinBuildKit => vec!["build".into()],
        };
        args.extend(["--progress".into(), "plain".into()]);
        args.extend(self.network_flags());
        args.extend(["--platform".into(), request.platform.to_string().into()]);
        args.extend(image_flags(request));
        // docker's own image store keeps no manifest annotations (and `docker build` sets
        // none): each annotation is also a label of the image's config.
        args.extend(annotation_flags("--label", request));
        match (self.mode, &request.layout) {
            (BuildMode::Buildx, layout) => {
                args.extend(annotation_flags("--annotation", request));
                args.push(match layout {
                    // One platform of several: an OCI layout, which acrt pushes.
                    Some(layout) => {
                        format!("--output=type=oci,dest={},tar=false", layout.display()).into()
                    }
                    None if request.push => "--push".into(),
                    None => "--load".into(),
                });
            }
            // One platform of several: built under its local name, saved, written as an
            // OCI layout by acrt (`layout_from_archive`).
            (BuildMode::BuiltinBuildKit, _) => {}
        }
        args.extend(arg_flags);
        // BuildKit takes SOURCE_DATE_EPOCH as a build argument for the config's and the
        // history's times (files keep theirs without its rewrite-timestamp output option).
        if let Some(epoch) = request.source_date_epoch {
            args.extend([
                "--build-arg".into(),
                format!("SOURCE_DATE_EPOCH={epoch}").into(),
            ]);
        }
        args.push(request.context_dir.clone().into());
        let mut steps = vec![ProcessStep {
            program: self.program.clone(),
            args,
            env: [self.env(&config_dir), arg_env].concat(),
        }];
        if let (BuildMode::BuiltinBuildKit, Some(layout)) = (self.mode, &request.layout) {
            let (saving, archive) = self.save_to_layout(request, layout, &config_dir)?;
            steps.extend(saving);
            return Ok(BuildPlan {
                steps,
                layout_from_archive: Some(archive),
            });
        }
        if request.push && self.mode == BuildMode::BuiltinBuildKit {
            for image in &request.images {
                steps.push(ProcessStep {
                    program: self.program.clone(),
                    args: vec!["push".into(), image.into()],
                    env: self.env(&config_dir),
                });
            }
        }
        Ok(BuildPlan {
            steps,
            layout_from_archive: None,
        })
    }

    fn push(&self, request: &PushRequest<'_>, work: &Path) -> Result<ProcessStep> {
        self.check_plain_http(request.insecure_registries)?;
        // A config dir of this push's own: parallel steps each have theirs.
        let name = tempfile::Builder::new()
            .prefix("docker-config-")
            .tempdir_in(work)?
            .keep();
        let name = name.file_name().unwrap_or_default().to_string_lossy();
        let config_dir = self.config_dir(request.auth_file, work, &name)?;
        Ok(ProcessStep {
            program: self.program.clone(),
            args: vec!["push".into(), request.image.into()],
            env: self.env(&config_dir),
        })
    }

    /// The image's id (its config's digest) by `docker image inspect`; the config itself
    /// only from `docker save`'s archive, since the daemon shows no config as stored. None
    /// with buildx, which pushes in its build.
    fn config_read(&self, image: &str, work: &Path) -> Option<ConfigRead> {
        if self.mode == BuildMode::Buildx {
            return None;
        }
        let env = self.env(&work.join(BUILD_CONFIG_DIR));
        let step = |args: Vec<OsString>| ProcessStep {
            program: self.program.clone(),
            args,
            env: env.clone(),
        };
        let archive = work.join("built-image.tar");
        Some(ConfigRead {
            digest: Some(step(vec![
                "image".into(),
                "inspect".into(),
                "--format".into(),
                "{{.Id}}".into(),
                image.into(),
            ])),
            config: step(vec![
                "save".into(),
                "--output".into(),
                archive.clone().into(),
                image.into(),
            ]),
            read: Box::new(move |_| {
                let config = super::archive::config_in_archive(&archive);
                let _ = std::fs::remove_file(&archive);
                config
            }),
        })
    }

    fn run_options(
        &self,
        request: &RunOptions<'_>,
        work: &Path,
    ) -> Result<(Vec<OsString>, EnvVars)> {
        self.check_plain_http(request.insecure_registries)?;
        let tag = request.step_tag;
        let config_dir =
            self.config_dir(request.auth_file, work, &format!("docker-config-{tag}"))?;
        let label = format!("{RUN_LABEL}={}", run_label(work)?);
        let mut flags: Vec<OsString> = vec!["--label".into(), label.into()];
        flags.extend(self.network_flags());
        Ok((flags, self.env(&config_dir)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    fn docker(mode: BuildMode) -> Docker {
        Docker {
            program: "/usr/bin/docker".into(),
            host: None,
            mode,
            host_network: true,
            registries: serde_json::from_value(serde_json::json!({
                "InsecureRegistryCIDRs": ["127.0.0.0/8"],
                "IndexConfigs": {"docker.io": {"Secure": true}, "reg.example:5000": {"Secure": false}}
            }))
            .unwrap(),
            user_config: None,
        }
    }

    fn request(work: &Path, insecure: &[&str]) -> BuildRequest {
        let auth = work.join("auth.json");
        std::fs::write(&auth, r#"{"auths":{"docker.io":{"auth":"dTpw"}}}"#).unwrap();
        BuildRequest {
            context_dir: "/src".into(),
            dockerfile: "/src/Dockerfile".into(),
            images: vec!["127.0.0.1:5000/app:1".into(), "127.0.0.1:5000/app:2".into()],
            build_args: vec![crate::model::BuildArg {
                name: "TOKEN".into(),
                value: "s3cret".into(),
                secret: true,
            }],
            target: None,
            platform: Platform::default(),
            no_cache: false,
            push: true,
            auth_file: auth,
            insecure_registries: insecure.iter().map(|s| s.to_string()).collect(),
            annotations: vec![("org.opencontainers.image.base.name".into(), "b:1".into())],
            source_date_epoch: None,
            layout: None,
        }
    }

    fn words(step: &ProcessStep) -> Vec<String> {
        step.args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn without_buildx_it_builds_with_buildkit_then_pushes_each_image() {
        let work = tempfile::tempdir().unwrap();
        let plan = docker(BuildMode::BuiltinBuildKit)
            .plan(&request(work.path(), &["127.0.0.1:5000"]), work.path())
            .unwrap();
        assert_eq!(plan.steps.len(), 3);
        let build = words(&plan.steps[0]);
        assert_eq!(build[0], "build");
        assert!(build.windows(2).any(|w| w == ["--network", "host"]));
        assert!(
            build
                .windows(2)
                .any(|w| w == ["--label", "org.opencontainers.image.base.name=b:1"])
        );
        assert!(!build.iter().any(|w| w == "--annotation" || w == "--push"));
        assert!(!build.iter().any(|w| w.contains("s3cret")));
        assert!(
            plan.steps[0]
                .env
                .contains(&("DOCKER_BUILDKIT".into(), "1".into()))
        );
        assert_eq!(words(&plan.steps[2]), ["push", "127.0.0.1:5000/app:2"]);
        // The logins in a private config, Docker Hub's also under the key docker reads.
        let config = &plan.steps[1]
            .env
            .iter()
            .find(|(k, _)| k == "DOCKER_CONFIG")
            .unwrap()
            .1;
        let config: serde_json::Value =
            serde_json::from_slice(&std::fs::read(Path::new(config).join("config.json")).unwrap())
                .unwrap();
        assert_eq!(config["auths"][DOCKER_HUB_KEY]["auth"], "dTpw");
    }

    #[test]
    fn without_buildx_a_platform_of_several_is_built_saved_and_its_name_removed() {
        let work = tempfile::tempdir().unwrap();
        let mut request = request(work.path(), &[]);
        request.images = vec!["localhost/acrt-platform-build:p-linux-arm64".into()];
        request.platform = Platform::parse("linux/arm64").unwrap();
        request.push = false;
        request.layout = Some(work.path().join("platforms/linux-arm64"));
        let plan = docker(BuildMode::BuiltinBuildKit)
            .plan(&request, work.path())
            .unwrap();
        let archive = work.path().join("platforms/linux-arm64.docker-archive.tar");
        assert_eq!(plan.steps.len(), 3);
        assert!(
            words(&plan.steps[0])
                .windows(2)
                .any(|w| w == ["--platform", "linux/arm64"])
        );
        assert_eq!(
            words(&plan.steps[1]),
            [
                "save",
                "--output",
                archive.to_str().unwrap(),
                "localhost/acrt-platform-build:p-linux-arm64"
            ]
        );
        assert_eq!(
            words(&plan.steps[2]),
            ["image", "rm", "localhost/acrt-platform-build:p-linux-arm64"]
        );
        let then = plan.layout_from_archive.expect("acrt writes the layout");
        assert_eq!(then.archive, archive);
        assert_eq!(then.platform.to_string(), "linux/arm64");
        assert_eq!(then.annotations, request.annotations);
    }

    #[test]
    fn with_buildx_it_pushes_in_the_build_with_annotations() {
        let work = tempfile::tempdir().unwrap();
        let plan = docker(BuildMode::Buildx)
            .plan(&request(work.path(), &[]), work.path())
            .unwrap();
        assert_eq!(plan.steps.len(), 1);
        let build = words(&plan.steps[0]);
        assert_eq!(build[..2], ["buildx", "build"]);
        assert!(build.contains(&"--push".to_string()));
        assert!(build.contains(&"--annotation".to_string()));
        assert!(
            !plan.steps[0]
                .env
                .iter()
                .any(|(k, _)| k == "DOCKER_BUILDKIT")
        );
    }

    #[test]
    fn a_plain_http_registry_the_daemon_would_speak_https_to_is_refused() {
        let work = tempfile::tempdir().unwrap();
        let d = docker(BuildMode::BuiltinBuildKit);
        assert!(d.registries.allows_plain_http("127.0.0.1:5000"));
        assert!(d.registries.allows_plain_http("reg.example:5000"));
        assert!(!d.registries.allows_plain_http("10.1.2.3:5000"));
        let err = d
            .plan(&request(work.path(), &["10.1.2.3:5000"]), work.path())
            .unwrap_err();
        assert!(
            format!("{err:#}").contains("\"insecure-registries\": [\"10.1.2.3:5000\"]"),
            "{err:#}"
        );
    }

    #[test]
    fn a_new_client_without_buildx_is_told_to_install_it() {
        let program = Path::new("/usr/bin/docker");
        assert_eq!(
            builtin_mode("20.10.24+dfsg1", program).unwrap(),
            BuildMode::BuiltinBuildKit
        );
        let err = builtin_mode("28.2.2", program).unwrap_err();
        assert!(format!("{err:#}").contains("docker-buildx"), "{err:#}");
    }
}
