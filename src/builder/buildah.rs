//! buildah: daemonless; `buildah bud`, then `buildah push --digestfile` per image.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::{
    BuildPlan, BuildRequest, Builder, ConfigRead, Containers, ContainersCli, ImageSource,
    ProcessStep, PushRequest, WorkingContainers, cert_dir_flags, on_path,
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
        self.cli().plan(
            &["bud", "--layers", "--force-rm"],
            run_marker(work)?,
            request,
            work,
        )
    }

    fn push(&self, request: &PushRequest<'_>, work: &Path) -> Result<ProcessStep> {
        self.cli().push(request, work)
    }

    /// `buildah inspect`'s `.Config`: the config's bytes as stored, which `buildah push`
    /// sends as they are.
    fn config_read(&self, image: &str, _work: &Path) -> Option<ConfigRead> {
        Some(ConfigRead {
            digest: None,
            config: self.step(vec![
                "inspect".into(),
                "--type".into(),
                "image".into(),
                "--format".into(),
                "{{.Config}}".into(),
                image.into(),
            ]),
            read: Box::new(Ok),
        })
    }

    fn containers(&self) -> Containers<'_> {
        Containers::Working(self)
    }
}

/// What marks a build's working containers as the run's: a secret (read by no step) whose
/// file is in the run's work dir. buildah keeps a build's secrets with each of its working
/// containers, and a build killed outside a RUN step leaves them behind; a cleanup finds them
/// by the work dir ([`containers_of_run`]). Neither the image nor its layer cache changes.
/// podman builds on this machine through the same library and storage, and gets it too.
pub(super) fn run_marker(work: &Path) -> Result<Vec<OsString>> {
    let file = crate::host::write_private(work, "build-marker", b"")?;
    Ok(vec![
        "--secret".into(),
        format!("id=acrt-build,type=file,src={}", file.display()).into(),
    ])
}

/// The working containers of builds whose secrets are files of the run work dir `work`
/// (the run's marker, or a secret build argument): read from buildah's record of each
/// container, `<graph root>/<driver>-containers/<id>/userdata/buildah.json`, which keeps the
/// build's options (its secrets among them) and which `buildah inspect` does not show.
pub fn containers_of_run(program: &Path, work: &Path) -> Vec<String> {
    let buildah = |args: &[&str]| -> Option<Vec<u8>> {
        let out = crate::host::std_command(program)
            .args(args)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    };
    let Some(store) = buildah(&[
        "info",
        "--format",
        "{{.store.GraphRoot}}\n{{.store.GraphDriverName}}",
    ]) else {
        return Vec::new();
    };
    let store = String::from_utf8_lossy(&store).into_owned();
    let mut lines = store.lines();
    let (Some(root), Some(driver)) = (lines.next(), lines.next()) else {
        return Vec::new();
    };
    let listed = buildah(&["containers", "--json"]).unwrap_or_default();
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&listed).unwrap_or_default();
    let inside = format!("src={}/", work.display());
    listed
        .iter()
        .filter_map(|c| c["id"].as_str())
        .filter(|id| {
            let record = Path::new(root)
                .join(format!("{driver}-containers"))
                .join(id)
                .join("userdata/buildah.json");
            std::fs::read(record)
                .ok()
                .and_then(|r| serde_json::from_slice::<serde_json::Value>(&r).ok())
                .and_then(|r| r["CommonBuildOpts"]["Secrets"].as_array().cloned())
                .is_some_and(|secrets| {
                    secrets
                        .iter()
                        .filter_map(|s| s.as_str())
                        .any(|s| s.split(',').any(|part| part.starts_with(&inside)))
                })
        })
        .map(str::to_string)
        .collect()
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
            build_args: vec![crate::model::BuildArg {
                name: "TOKEN".into(),
                value: "s3cret".into(),
                secret: true,
            }],
            target: Some("final".into()),
            platform: Platform::default(),
            no_cache: true,
            push: true,
            auth_file: "/tmp/auth.json".into(),
            insecure_registries: vec!["localhost:5000".into()],
            annotations: Vec::new(),
            source_date_epoch: Some(crate::model::SourceDateEpoch::new(1_700_000_000)),
            layout: None,
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
        assert!(bud.windows(2).any(|w| w == ["--timestamp", "1700000000"]));
        // The run's marker: a secret file of the run's work dir.
        let marker = format!(
            "id=acrt-build,type=file,src={}",
            work.path().join("build-marker").display()
        );
        assert!(bud.windows(2).any(|w| w == ["--secret", marker.as_str()]));
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
