//! buildah: daemonless; `buildah bud`, then `buildah push --digestfile` per image.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::{
    BuildPlan, BuildRequest, Builder, Containers, ContainersCli, ImageSource, ProcessStep,
    PushRequest, WorkingContainers, cert_dir_flags, on_path,
};
use crate::error::Result;

pub struct Buildah {
    pub program: PathBuf,
}

impl Buildah {
    /// BUILDAH_ISOLATION=chroot where nothing else would work.
    fn isolation_env(&self) -> Vec<(String, String)> {
        let mut env = Vec::new();
        // Without an OCI runtime (runc, crun) RUN steps can only work in chroot isolation.
        if crate::host::base_env().all(|(k, _)| k != "BUILDAH_ISOLATION")
            && !on_path("runc")
            && !on_path("crun")
        {
            env.push(("BUILDAH_ISOLATION".to_string(), "chroot".to_string()));
        }
        env
    }

    fn cli(&self) -> ContainersCli<'_> {
        ContainersCli {
            program: &self.program,
            global: Vec::new(),
            env: self.isolation_env(),
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

    fn containers(&self) -> Containers<'_> {
        Containers::Working(self)
    }
}

impl Buildah {
    fn step(&self, args: Vec<OsString>) -> ProcessStep {
        ProcessStep {
            program: self.program.clone(),
            args,
            env: self.isolation_env(),
        }
    }
}

impl WorkingContainers for Buildah {
    fn create(
        &self,
        image: &str,
        source: ImageSource<'_>,
        cid_file: &Path,
        work: &Path,
    ) -> Result<ProcessStep> {
        let mut args: Vec<OsString> = vec!["from".into(), "--quiet".into()];
        match source {
            ImageSource::Pull { auth_file } => {
                args.extend(["--pull".into(), "--authfile".into(), auth_file.into()]);
                args.extend(cert_dir_flags(work)?);
            }
            ImageSource::Local => args.push("--pull-never".into()),
        }
        args.extend(["--cidfile".into(), cid_file.into(), image.into()]);
        Ok(self.step(args))
    }

    fn inspect(&self, container: &str) -> ProcessStep {
        self.step(vec![
            "inspect".into(),
            "--type".into(),
            "container".into(),
            container.into(),
        ])
    }

    fn run(&self, container: &str, flags: Vec<OsString>, argv: &[String]) -> ProcessStep {
        let mut args: Vec<OsString> = vec!["run".into()];
        args.extend(flags);
        args.extend([container.into(), "--".into()]);
        args.extend(argv.iter().map(Into::into));
        self.step(args)
    }

    fn remove(&self, container: &str) -> ProcessStep {
        self.step(vec!["rm".into(), container.into()])
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
