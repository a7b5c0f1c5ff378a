//! podman: daemonless like buildah, with the same flags; `podman build`, `podman push`. With a
//! service URL (`podman system service`, tcp:// or ssh:// or unix://) it builds on that host
//! through podman's remote API: a pool of build machines needs nothing but podman on each.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::{BuildPlan, BuildRequest, Builder, ContainersCli, ProcessStep, PushRequest};
use crate::error::{Result, invalid};

pub struct Podman {
    pub program: PathBuf,
    /// The service to build on; None builds on this machine.
    pub url: Option<String>,
}

/// podman building through the service at `url`, which must answer now.
pub(super) fn remote(url: &str) -> Result<Box<dyn Builder>> {
    let known = ["tcp://", "ssh://", "unix://"];
    if !known.iter().any(|s| url.starts_with(s)) {
        return Err(invalid(format!(
            "the podman service URL '{url}' is not one podman takes: use tcp://HOST:PORT, \
             ssh://USER@HOST/run/podman/podman.sock or unix:///PATH"
        )));
    }
    let program = crate::host::find("podman").ok_or_else(|| {
        invalid(format!(
            "building on the podman service {url} needs the podman client here: apt-get install podman"
        ))
    })?;
    let mut version = crate::host::std_command(&program);
    version.args(["--url", url, "version", "--format", "{{.Server.Version}}"]);
    let answer = version
        .output()
        .map_err(|e| crate::host::cannot_start(&version, &e, "apt-get install podman"))?;
    if !answer.status.success() {
        return Err(invalid(format!(
            "the podman service at {url} does not answer ({}); start it there with \
             'podman system service --time=0 {url}', or unset core.builder_url / CONTAINER_HOST",
            String::from_utf8_lossy(&answer.stderr).trim()
        )));
    }
    Ok(Box::new(Podman {
        program,
        url: Some(url.to_string()),
    }))
}

impl Podman {
    fn cli(&self) -> ContainersCli<'_> {
        let global: Vec<OsString> = match &self.url {
            Some(url) => vec!["--url".into(), url.into()],
            None => Vec::new(),
        };
        ContainersCli {
            program: &self.program,
            global,
            env: Vec::new(),
            remote: self.url.is_some(),
            push_target: |image| vec![image.into()],
        }
    }
}

impl Builder for Podman {
    fn name(&self) -> &'static str {
        "podman"
    }

    fn program(&self) -> &Path {
        &self.program
    }

    fn describe(&self) -> String {
        match &self.url {
            Some(url) => format!("podman (the service at {url})"),
            None => format!("podman ({})", self.program.display()),
        }
    }

    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan> {
        // On this machine its working containers are buildah's, found by the run's marker
        // as buildah's are; a service's are on its host, out of this machine's cleanup's reach.
        let marker = match &self.url {
            None => super::buildah::run_marker(work)?,
            Some(_) => Vec::new(),
        };
        self.cli()
            .plan(&["build", "--force-rm"], marker, request, work)
    }

    fn push(&self, request: &PushRequest<'_>, work: &Path) -> Result<ProcessStep> {
        self.cli().push(request, work)
    }
}
