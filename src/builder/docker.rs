//! docker buildx: needs a running daemon. Logins come through a temporary DOCKER_CONFIG
//! directory; the pushed digest comes from buildx's metadata file.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use super::{
    BuildPlan, BuildRequest, Builder, ProcessStep, PushRequest, build_arg_flags, image_flags,
};
use crate::error::Result;

pub struct Docker {
    pub program: PathBuf,
}

pub fn daemon_answers(program: &Path) -> bool {
    crate::host::std_command(program)
        .args(["info", "--format", "{{.ServerVersion}}"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Builder for Docker {
    fn name(&self) -> &'static str {
        "docker"
    }

    fn program(&self) -> &Path {
        &self.program
    }

    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan> {
        // docker reads logins from $DOCKER_CONFIG/config.json, the same format as an auth file.
        let config_dir = work.join("docker-config");
        std::fs::create_dir_all(&config_dir)?;
        std::fs::copy(&request.auth_file, config_dir.join("config.json"))?;
        let metadata = work.join("buildx-metadata.json");
        let (arg_flags, arg_env) = build_arg_flags(request, work)?;
        let mut args: Vec<std::ffi::OsString> = vec!["buildx".into(), "build".into()];
        args.extend(["--platform".into(), request.platform.to_string().into()]);
        args.extend(image_flags(request));
        args.push(match &request.layout {
            // One platform of several: an OCI layout, which acrt pushes.
            Some(layout) => format!("--output=type=oci,dest={},tar=false", layout.display()).into(),
            None if request.push => "--push".into(),
            None => "--load".into(),
        });
        args.extend(["--metadata-file".into(), metadata.clone().into()]);
        args.extend(arg_flags);
        args.push(request.context_dir.clone().into());
        let mut env = arg_env;
        env.push(("DOCKER_CONFIG".into(), config_dir.display().to_string()));
        Ok(BuildPlan {
            steps: vec![ProcessStep {
                program: self.program.clone(),
                args,
                env,
            }],
        })
    }

    fn push(&self, request: &PushRequest<'_>, work: &Path) -> Result<ProcessStep> {
        // A config dir of this push's own: parallel steps each have theirs.
        let config_dir = tempfile::Builder::new()
            .prefix("docker-config-")
            .tempdir_in(work)?
            .keep();
        std::fs::copy(request.auth_file, config_dir.join("config.json"))?;
        Ok(ProcessStep {
            program: self.program.clone(),
            args: vec!["push".into(), request.image.into()],
            env: vec![("DOCKER_CONFIG".into(), config_dir.display().to_string())],
        })
    }
}
