//! The rule that makes base-image tracking sound, in one place: resolve each base of a
//! Dockerfile to its digest before the build, record that, and build on exactly that digest
//! (a copy of the Dockerfile with every base pinned), so that a base pushed during the build
//! is the next check's change, never an image whose recorded base is not the one it holds.
//! Dockerfile tasks, quick builds, task-file build steps (and so `--cmd` runs and watch's
//! runs) and `acrt scan --resolve` all come through here.

use std::path::{Path, PathBuf};

use super::log::RunLog;
use crate::dockerfile::{BaseImage, DependencyType, RunSite, Scan};
use crate::error::Result;
use crate::model::image::ImageRef;
use crate::model::{BuildArg, Platform, SourceDateEpoch};
use crate::registry::{RegistryClient, ResolvedImage};
use crate::store::RecordedBase;

/// A base image with the digests it had when the run resolved it.
#[derive(Debug, Clone)]
pub struct ResolvedBase {
    pub dependency_type: DependencyType,
    pub image: ImageRef,
    pub index_digest: String,
    pub platform_digest: String,
    /// The platform it was resolved for: its stage's `--platform`, else the build's.
    pub platform: Platform,
    /// When it was made (its config's `created`), where resolving it read its config (a
    /// single-platform tag); None for an index.
    pub created: Option<SourceDateEpoch>,
}

impl ResolvedBase {
    /// The row watch reads.
    pub fn recorded(&self) -> RecordedBase {
        RecordedBase {
            dependency_type: self.dependency_type,
            registry: self.image.registry.clone(),
            repository: self.image.repository.clone(),
            tag: self.image.tag.clone(),
            index_digest: Some(self.index_digest.clone()),
            platform_digest: Some(self.platform_digest.clone()),
            platform: self.platform.to_string(),
            pinned: self.image.digest.is_some(),
        }
    }
}

/// The pipeline's first step: the Dockerfile's bases as BuildKit resolves them for this
/// build (its build args, NAME, VALUE, secret; its target; its platform).
pub fn scan(
    text: &str,
    build_args: &[BuildArg],
    target: Option<&str>,
    platform: &Platform,
) -> Result<Scan> {
    let args: Vec<(String, String)> = build_args
        .iter()
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect();
    crate::dockerfile::scan_sites(
        text,
        &crate::dockerfile::ScanOptions {
            build_args: &args,
            target,
            platform,
        },
    )
}

/// The builder a platform builds on, as the foreign-architecture check sees it.
#[derive(Debug, Clone)]
pub struct BuildsOn {
    /// What it builds natively (`builders.NAME.platforms`; this machine's own by default).
    pub natives: Vec<Platform>,
    /// Its name in the pool; None: this machine's builder.
    pub name: Option<String>,
}

/// Refuses, before anything runs, a build its builder cannot do: a platform but linux, or
/// RUN instructions for an architecture the builder does not build natively, without
/// emulation registered with this machine's kernel (a build that only copies files needs
/// none: nothing of the platform executes, nor does a stage `FROM --platform=$BUILDPLATFORM`,
/// which runs on the build machine's own).
pub fn check_buildable(platform: &Platform, scan: &Scan, on: &BuildsOn) -> Result<()> {
    if platform.os != "linux" {
        return Err(crate::error::failed(format!(
            "acrt's builders (buildah, podman, docker) build linux images on this machine; {platform} \
             cannot be built here: use --platform linux/..."
        )));
    }
    scan.run_platforms
        .iter()
        .try_for_each(|site| check_executable(site.platform.as_ref().unwrap_or(platform), site, on))
}

/// Where the kernel lists the interpreters it runs foreign binaries with (binfmt_misc).
const BINFMT_DIR: &str = "/proc/sys/fs/binfmt_misc";

/// Refuses a stage whose RUN its builder cannot execute: an architecture it does not build
/// natively, without emulation registered with the kernel. The error names the platform,
/// the stage and its line, the builder when it is one of the pool, and the ways out.
fn check_executable(platform: &Platform, site: &RunSite, on: &BuildsOn) -> Result<()> {
    if on.natives.iter().any(|n| n.builds_natively(platform)) {
        return Ok(());
    }
    let native = crate::model::platform::native_architecture();
    let qemu = match platform.architecture.as_str() {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "386" => "i386",
        other => other,
    };
    if Path::new(BINFMT_DIR).join(format!("qemu-{qemu}")).exists() {
        return Ok(());
    }
    let (where_, builder_fix) = match &on.name {
        Some(name) => (
            format!("on the builder '{name}' (builders.{name}.platforms does not list it)"),
            format!(
                "build {platform} on a builder of that architecture: 'acrt config set \
                 builders.{name}.platforms={platform}' if {name} is one, else leave out \
                 --builder {name} and name one in the pool with builders.NAME.platforms={platform}"
            ),
        ),
        None => (
            "here".to_string(),
            format!(
                "build {platform} with a builder of that architecture: name one in the pool \
                 ('acrt config set builders.NAME.kind=podman builders.NAME.url=tcp://HOST:PORT \
                 builders.NAME.platforms={platform}') and its runs of {platform} go there"
            ),
        ),
    };
    Err(crate::error::Error::Failed(crate::error::Message::hinted(
        format!(
            "the build for {platform} cannot run {where_}: stage '{}' runs commands (RUN, line {}) \
             for {platform}, and this {native} machine has no emulation registered for {qemu} \
             ({BINFMT_DIR}/qemu-{qemu})",
            site.stage, site.line
        ),
        format!(
            "register qemu's binfmt handlers (apt-get install qemu-user-static binfmt-support), or \
             build that stage on the build machine and cross-compile (FROM --platform=$BUILDPLATFORM, \
             copying its output into the {platform} stage), or {builder_fix}"
        ),
    ))
    .into())
}

/// Whether a build for `platform` may use the builder's layer cache. The cache's keys do not
/// hold the platform (buildah 1.28, podman): a stage on `scratch` or on a single-platform
/// base built for this machine is found again for another platform, and the image pushed
/// for arm64 would be amd64's. So a build for another platform than this machine's builds
/// without it.
pub fn layer_cache_sound(platform: &Platform) -> bool {
    platform.architecture == crate::model::platform::native_architecture()
        && platform.variant.is_none()
}

/// Where one platform of a multi-platform build writes its image, under `dir` (a directory
/// of that build's own), and the local name it is built under meanwhile (unique as `dir` is,
/// so that builds side by side never take each other's image).
pub fn platform_output(dir: &Path, platform: &Platform) -> (PathBuf, String) {
    let slug = platform.to_string().replace('/', "-");
    let unique = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (
        dir.join(&slug),
        format!("localhost/acrt-platform-build:{unique}-{slug}"),
    )
}

/// A directory of its own under `work` for one multi-platform build's images.
pub fn platform_outputs_dir(work: &Path) -> Result<PathBuf> {
    Ok(tempfile::Builder::new()
        .prefix("platforms-")
        .tempdir_in(work)?
        .keep())
}

/// What to do with a base the registry does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenMissing {
    /// The run fails (a Dockerfile task: its bases must be real).
    Fail,
    /// It is left out (a task-file step may build on an image an earlier step made locally).
    Skip,
}

/// Resolves each base of `bases` for `platform`, before anything is built. `prefix` starts
/// each log line ("[step] " in task files).
pub async fn resolve_base_digests(
    client: &RegistryClient,
    bases: &[BaseImage],
    platform: &Platform,
    when_missing: WhenMissing,
    log: &RunLog,
    prefix: &str,
) -> Result<Vec<ResolvedBase>> {
    let mut out = Vec::new();
    for base in bases {
        let Some(image) = &base.image else {
            log.line(&format!("{prefix}Base image: scratch (no digest)"));
            continue;
        };
        let platform = base.platform.as_ref().unwrap_or(platform);
        match client.resolve_with_config(image, platform).await {
            Ok((resolved, facts)) => {
                let (its, created) = facts.map_or((None, None), |f| (f.platform, f.created));
                // A base that is there but not for this platform fails even where a missing
                // one is skipped: the build would run on another platform's binaries.
                check_base_platform(image, its, platform)?;
                log.line(&format!(
                    "{prefix}Base image ({}): {image} -> {}",
                    base.dependency_type,
                    resolved.platform_digest
                ));
                out.push(ResolvedBase {
                    dependency_type: base.dependency_type,
                    image: image.clone(),
                    index_digest: resolved.index_digest,
                    platform_digest: resolved.platform_digest,
                    platform: platform.clone(),
                    created,
                });
            }
            Err(e) if when_missing == WhenMissing::Skip => log.line(&format!(
                "{prefix}{image}: not in a registry ({e:#}); built from local storage if an earlier step made it"
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// One base's digests for `platform` (the index's and the platform's). A single-platform
/// base must be the platform asked for: building arm64 on an amd64 base would give an arm64
/// label on amd64 binaries. What runs record and `acrt scan --resolve` prints.
pub async fn resolve_base(
    client: &RegistryClient,
    image: &ImageRef,
    platform: &Platform,
) -> Result<ResolvedImage> {
    let (resolved, its) = client.resolve_with_platform(image, platform).await?;
    check_base_platform(image, its, platform)?;
    Ok(resolved)
}

/// A single-platform base (`its`: what its config says) must be the platform asked for.
fn check_base_platform(image: &ImageRef, its: Option<Platform>, platform: &Platform) -> Result<()> {
    match its {
        Some(its) if !its.matches(platform) => Err(crate::error::failed(format!(
            "the base {image} is built for {its} only, not {platform}; build for {its} \
             (--platform {its}) or use a base that offers {platform}"
        ))),
        _ => Ok(()),
    }
}

/// A copy of the Dockerfile (in `work`) with every resolved base pinned to its recorded
/// digest, for the builder; None when nothing needed pinning. The log says what was pinned.
pub fn pinned_dockerfile(
    text: &str,
    scan: &Scan,
    resolved: &[ResolvedBase],
    work: &Path,
    log: &RunLog,
    prefix: &str,
) -> Result<Option<PathBuf>> {
    let (pinned, lines) = crate::dockerfile::pin(text, &scan.sites, |image| {
        resolved
            .iter()
            .find(|r| r.image == *image)
            .map(|r| r.platform_digest.clone())
    });
    if lines.is_empty() {
        return Ok(None);
    }
    for line in &lines {
        log.line(&format!("{prefix}{line}"));
    }
    let name = format!(
        "Dockerfile.pinned-{}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
    );
    Ok(Some(crate::host::write_private(
        &work.join("pinned"),
        &name,
        pinned.as_bytes(),
    )?))
}

/// Where the time a build sets its image's timestamps to comes from, most binding first:
/// the task's (or `acrt build`'s) `--source-date-epoch`, the git context's commit time, the newest base's
/// creation time (its config's `created`).
#[derive(Debug, Clone, Copy)]
pub struct TimeSources {
    pub task: Option<SourceDateEpoch>,
    pub commit: Option<SourceDateEpoch>,
}

/// The build's SOURCE_DATE_EPOCH (None when nothing fixes it: a build from scratch out of a
/// local directory or a tarball, without `--source-date-epoch`); the log says which it is
/// and where it came from. A base whose config cannot be read fails the build, as its pull
/// would.
pub async fn source_date_epoch(
    client: &RegistryClient,
    sources: &TimeSources,
    resolved: &[ResolvedBase],
    log: &RunLog,
    prefix: &str,
) -> Result<Option<SourceDateEpoch>> {
    let (epoch, source) = if let Some(t) = sources.task {
        (Some(t), "--source-date-epoch".to_string())
    } else if let Some(t) = sources.commit {
        (Some(t), "the context's commit time".to_string())
    } else {
        newest_base_time(client, resolved).await?
    };
    match epoch {
        Some(t) => log.line(&format!(
            "{prefix}Timestamps: {t} ({}), {source}",
            chrono::DateTime::from_timestamp(i64::try_from(t.seconds()).unwrap_or(i64::MAX), 0)
                .map_or_else(|| "?".to_string(), |d| d.to_rfc3339())
        )),
        None => log.line(&format!(
            "{prefix}Timestamps: the build's own clock ({source}); the image is not \
             reproducible: set --source-date-epoch (task create/update, or build)"
        )),
    }
    Ok(epoch)
}

/// The newest creation time of `resolved` bases, and which base it is; a base whose config
/// has no readable `created` is left out. A base resolved through an index has its
/// platform's config read now (by the digest the build is pinned to).
async fn newest_base_time(
    client: &RegistryClient,
    resolved: &[ResolvedBase],
) -> Result<(Option<SourceDateEpoch>, String)> {
    let mut newest: Option<(SourceDateEpoch, String)> = None;
    for base in resolved {
        let created = match base.created {
            Some(created) => Some(created),
            None if base.index_digest != base.platform_digest => {
                let image = ImageRef {
                    tag: None,
                    digest: Some(base.platform_digest.clone()),
                    ..base.image.clone()
                };
                client.image_facts(&image).await?.and_then(|f| f.created)
            }
            None => None,
        };
        if let Some(t) = created
            && newest.as_ref().is_none_or(|(n, _)| t > *n)
        {
            newest = Some((t, format!("the creation time of the base {}", base.image)));
        }
    }
    Ok(match newest {
        Some((t, source)) => (Some(t), source),
        None => (
            None,
            "no git commit, no base with a creation time".to_string(),
        ),
    })
}

/// The OCI annotations that name an image's runtime base and the digest it was built on (the
/// recorded one, which the pinned build used), as `regctl image check-base` reads them.
pub fn base_annotations(resolved: &[ResolvedBase]) -> Vec<(String, String)> {
    runtime_base(resolved)
        .map(|r| annotations_of_base(&r.image, &r.platform_digest))
        .unwrap_or_default()
}

/// The annotations of a multi-platform image's index: the runtime base's name and its index
/// digest (each child names its own platform's base digest).
pub fn index_annotations(resolved: &[ResolvedBase]) -> Vec<(String, String)> {
    runtime_base(resolved)
        .map(|r| annotations_of_base(&r.image, &r.index_digest))
        .unwrap_or_default()
}

/// The annotations naming `base` (by its name, without a digest) and `digest`, the digest of
/// it the image stands on: a platform's image's, or an index's.
pub fn annotations_of_base(base: &ImageRef, digest: &str) -> Vec<(String, String)> {
    let name = ImageRef {
        digest: None,
        ..base.clone()
    };
    vec![
        (
            "org.opencontainers.image.base.name".to_string(),
            name.to_string(),
        ),
        (
            "org.opencontainers.image.base.digest".to_string(),
            digest.to_string(),
        ),
    ]
}

fn runtime_base(resolved: &[ResolvedBase]) -> Option<&ResolvedBase> {
    resolved
        .iter()
        .find(|r| r.dependency_type == DependencyType::RunTime)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A platform of another architecture than this machine's, and qemu's name for it.
    fn a_foreign_platform() -> (&'static str, &'static str) {
        match crate::model::platform::native_architecture() {
            "arm64" => ("linux/amd64", "x86_64"),
            _ => ("linux/arm64", "aarch64"),
        }
    }

    #[test]
    fn a_foreign_run_builds_on_a_builder_that_lists_its_platform() {
        let (foreign, qemu) = a_foreign_platform();
        let platform = Platform::parse(foreign).unwrap();
        if Path::new(BINFMT_DIR).join(format!("qemu-{qemu}")).exists() {
            return; // emulated here: nothing is refused
        }
        let scan = Scan {
            run_platforms: vec![RunSite {
                platform: None,
                stage: "app".into(),
                line: 2,
            }],
            ..Scan::default()
        };
        let here = BuildsOn {
            natives: vec![Platform::of_this_machine()],
            name: None,
        };
        let elsewhere = BuildsOn {
            natives: vec![Platform::parse("linux/amd64").unwrap()],
            name: Some("pm".into()),
        };
        for (on, said, fix) in [
            (here, "cannot run here", "NAME"),
            (elsewhere, "on the builder 'pm'", "pm"),
        ] {
            let e = format!("{:#}", check_buildable(&platform, &scan, &on).unwrap_err());
            let fix = format!("builders.{fix}.platforms={foreign}");
            assert!(e.contains(said) && e.contains(&fix), "{e}");
        }
        let native = BuildsOn {
            natives: vec![platform.clone()],
            name: Some("pm".into()),
        };
        assert!(check_buildable(&platform, &scan, &native).is_ok());
    }

    #[test]
    fn the_runtime_base_is_annotated_by_name_with_the_image_or_index_digest() {
        let base = |dependency_type, name: &str| ResolvedBase {
            dependency_type,
            image: ImageRef::parse(name).unwrap(),
            index_digest: "sha256:index".into(),
            platform_digest: "sha256:platform".into(),
            platform: Platform::parse("linux/amd64").unwrap(),
            created: None,
        };
        let resolved = [
            base(DependencyType::BuildTime, "reg.example/tools:1"),
            base(
                DependencyType::RunTime,
                &format!("reg.example/base:1@sha256:{}", "a".repeat(64)),
            ),
        ];
        let named = |digest: &str| {
            vec![
                (
                    "org.opencontainers.image.base.name".to_string(),
                    "reg.example/base:1".to_string(),
                ),
                (
                    "org.opencontainers.image.base.digest".to_string(),
                    digest.to_string(),
                ),
            ]
        };
        assert_eq!(base_annotations(&resolved), named("sha256:platform"));
        assert_eq!(index_annotations(&resolved), named("sha256:index"));
        assert!(base_annotations(&resolved[..1]).is_empty());
        assert!(index_annotations(&resolved[..1]).is_empty());
    }

    #[test]
    fn a_foreign_build_that_runs_nothing_needs_no_emulation() {
        let (foreign, _) = a_foreign_platform();
        let platform = Platform::parse(foreign).unwrap();
        let here = BuildsOn {
            natives: vec![Platform::of_this_machine()],
            name: None,
        };
        assert!(check_buildable(&platform, &Scan::default(), &here).is_ok());
        let windows = Platform::parse("windows/amd64").unwrap();
        assert!(check_buildable(&windows, &Scan::default(), &here).is_err());
    }
}
