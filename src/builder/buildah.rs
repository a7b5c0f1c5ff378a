//! buildah: daemonless; `buildah bud`, then `buildah push --digestfile` per image.

use std::path::{Path, PathBuf};

use super::{BuildPlan, BuildRequest, Builder, ContainersCli, ProcessStep, PushRequest, on_path};
use crate::error::Result;

pub struct Buildah {
    pub program: PathBuf,
}

impl Buildah {
    fn cli(&self) -> ContainersCli<'_> {
        let mut env = Vec::new();
        // Without an OCI runtime (runc, crun) RUN steps can only work in chroot isolation.
        if crate::host::base_env().all(|(k, _)| k != "BUILDAH_ISOLATION")
            && !on_path("runc")
            && !on_path("crun")
        {
            env.push(("BUILDAH_ISOLATION".to_string(), "chroot".to_string()));
        }
        ContainersCli {
            program: &self.program,
            global: Vec::new(),
            env,
            remote: false,
            push_target: |image| vec![image.into(), format!("docker://{image}").into()],
        }
    }
}

impl Builder for Buildah {
    fn name(&self) -> &'static str {
        "buildah"
    }

    fn program(&self) -> &Path {
        &self.program
    }

    fn plan(&self, request: &BuildRequest, work: &Path) -> Result<BuildPlan> {
        // --force-rm: a failed or stopped build removes its intermediate containers too.
        self.cli()
            .plan(&["bud", "--layers", "--force-rm"], request, work)
    }

    fn push(&self, request: &PushRequest<'_>, work: &Path) -> Result<ProcessStep> {
        self.cli().push(request, work)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Platform;

    #[test]
    fn secrets_travel_in_the_environment() {
        let work = tempfile::tempdir().unwrap();
        let request = BuildRequest {
            context_dir: "/src".into(),
            dockerfile: "/src/Dockerfile".into(),
            images: vec!["localhost:5000/app:1".into()],
            build_args: vec![("TOKEN".into(), "s3cret".into(), true)],
            target: Some("final".into()),
            platform: Platform::default(),
            no_cache: true,
            push: true,
            auth_file: "/tmp/auth.json".into(),
            insecure_registries: vec!["localhost:5000".into()],
            annotations: Vec::new(),
        };
        let buildah = Buildah {
            program: "/usr/bin/buildah".into(),
        };
        let plan = buildah.plan(&request, work.path()).unwrap();
        assert_eq!(plan.steps.len(), 2);
        for step in &plan.steps {
            assert!(
                !step
                    .args
                    .iter()
                    .any(|a| a.to_string_lossy().contains("s3cret"))
            );
        }
        let bud: Vec<String> = plan.steps[0]
            .args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(bud.windows(2).any(|w| w == ["--build-arg", "TOKEN"]));
        assert!(
            bud.windows(2)
                .any(|w| w[0] == "--secret" && w[1].starts_with("id=TOKEN,type=file,src="))
        );
        assert!(bud.windows(2).any(|w| w == ["--target", "final"]));
        assert!(
            plan.steps[0]
                .env
                .contains(&("TOKEN".into(), "s3cret".into()))
        );
        assert!(
            plan.steps[1]
                .env
                .iter()
                .any(|(k, _)| k == "CONTAINERS_REGISTRIES_CONF")
        );
    }
}
