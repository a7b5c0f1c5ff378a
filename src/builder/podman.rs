//! podman: daemonless like buildah, with the same flags; `podman build`, `podman push`.

use std::path::Path;

use super::{BuildPlan, BuildRequest, Builder, ProcessStep, build_arg_flags, registries_conf};
use crate::error::Result;

pub struct Podman;

impl Builder for Podman {
    fn name(&self) -> &'static str {
        "podman"
    }

    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan> {
        let mut env = Vec::new();
        if let Some(conf) = registries_conf(request, work)? {
            env.push((
                "CONTAINERS_REGISTRIES_CONF".to_string(),
                conf.display().to_string(),
            ));
        }
        let (arg_flags, arg_env) = build_arg_flags(request);
        let mut build: Vec<std::ffi::OsString> = vec![
            "build".into(),
            "--authfile".into(),
            request.auth_file.clone().into(),
        ];
        build.extend(super::platform_flag(&request.platform));
        build.extend(["-f".into(), request.dockerfile.clone().into()]);
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
            program: "podman".into(),
            args: build,
            env: [env.clone(), arg_env].concat(),
        }];
        let mut digest_files = Vec::new();
        if request.push {
            for (i, image) in request.images.iter().enumerate() {
                let digest_file = work.join(format!("digest-{i}"));
                let args = vec![
                    "push".into(),
                    "--authfile".into(),
                    request.auth_file.clone().into(),
                    "--digestfile".into(),
                    digest_file.clone().into(),
                    image.into(),
                ];
                steps.push(ProcessStep {
                    program: "podman".into(),
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
}
