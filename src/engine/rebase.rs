//! A run that rebases instead of building (`--base-image-update rebase`, `task rebase`): the
//! image the task's last successful run pushed, its runtime base's layers swapped for the
//! base as the registry serves it now (`registry::rebase`). Where that is not sound, or the
//! image cannot be read, the run says why in its log and builds as any run. A task of several
//! platforms rebases each platform's image whose base moved, keeps the others by digest and
//! pushes a new index; a platform that cannot be rebased is built, alone (unless the task
//! builds its platforms in lockstep: then every platform is).

use super::Built;
use super::journal::{Journal, Previous, PreviousOnce};
use super::outcome::Stop;
use super::pipeline;
use super::platforms::{Candidate, mark_rebased, push_index};
use super::provenance::NewChild;
use crate::engine::log::RunLog;
use crate::model::Platform;
use crate::model::base::RecordedBase;
use crate::model::image::ImageRef;
use crate::model::run::{ImageDescriptor, RebaseRecord, Run};
use crate::model::status::DependencyType;
use crate::registry::RegistryClient;
use crate::registry::layout::{self, Child};
use crate::registry::rebase::{RebaseRequest, Rebased, rebase};
use crate::template::TemplateContext;

/// How a rebase attempt ended.
pub(super) enum Tried {
    /// Every image was rebased (or kept): the run is done.
    Rebased(Box<Built>, RebaseRecord),
    /// The run's deadline passed.
    Stopped(Stop),
    /// The run builds instead; for a task of several platforms, with the images the rebase
    /// made or kept, which the build keeps where their bases are still the build's.
    Build(Option<Vec<Candidate>>),
}

/// What the attempt reached: all rebased, or some platforms to build.
enum Done {
    All(Box<Built>, RebaseRecord),
    Partly(Vec<Candidate>),
}

/// Rebases the task's last image where sound; else says why in the log.
pub(super) async fn try_rebase(
    (journal, previous): (&Journal, &PreviousOnce<'_>),
    spec: &super::RunSpec,
    vars: &TemplateContext,
    log: &RunLog,
    deadline: tokio::time::Instant,
) -> Tried {
    let attempt = async {
        match spec.platforms().several() {
            true => attempt_platforms((journal, previous), spec, vars, log).await,
            false => attempt(previous, spec, vars, log)
                .await
                .map(|(built, record)| Done::All(Box::new(built), record)),
        }
    };
    match tokio::time::timeout_at(deadline, attempt).await {
        Err(_) => Tried::Stopped(Stop::TimedOut),
        Ok(Ok(Done::All(built, record))) => Tried::Rebased(built, record),
        Ok(Ok(Done::Partly(candidates))) => Tried::Build(Some(candidates)),
        Ok(Err(why)) => {
            log.line(&format!("Not rebased: {why}; building instead"));
            Tried::Build(None)
        }
    }
}

/// What every rebase starts from: the task's recorded bases, its last successful run, the
/// image that run pushed (by digest), the run's targets and a client for all of them.
struct Start {
    recorded: Vec<RecordedBase>,
    last: Run,
    image: ImageRef,
    targets: Vec<ImageRef>,
    client: RegistryClient,
}

async fn start(
    previous: &PreviousOnce<'_>,
    spec: &super::RunSpec,
    vars: &TemplateContext,
) -> Result<Start, String> {
    spec.task.as_deref().ok_or("a rebase needs a task")?;
    let Previous { bases, last } = previous.get().await.map_err(|e| e.to_string())?;
    let recorded = bases.clone();
    let last = last
        .clone()
        .ok_or("the task has no successful run to rebase")?;
    let pushed = last
        .output_images
        .clone()
        .unwrap_or_default()
        .into_iter()
        .find(|i| i.digest.is_some())
        .ok_or("the task's last run pushed no image")?;
    let image = ImageRef {
        registry: pushed.registry,
        repository: pushed.repository,
        tag: None,
        digest: pushed.digest,
    };
    let targets = spec.target_images(vars).map_err(|e| e.to_string())?;
    if targets.is_empty() {
        return Err("the task pushes no image".into());
    }
    let mut involved = vec![image.registry.clone()];
    involved.extend(recorded.iter().map(|b| b.registry.clone()));
    involved.extend(targets.iter().map(|t| t.registry.clone()));
    involved.sort();
    involved.dedup();
    let credentials = spec.credentials().looked_up(&involved).await;
    let client = RegistryClient::for_pushing(credentials, &involved);
    Ok(Start {
        recorded,
        last,
        image,
        targets,
        client,
    })
}

/// The one runtime base recorded for `platform` (for any platform: None).
fn runtime_base<'a>(
    recorded: &'a [RecordedBase],
    platform: Option<&Platform>,
) -> Result<&'a RecordedBase, String> {
    let platform = platform.map(ToString::to_string);
    let runtime: Vec<&RecordedBase> = recorded
        .iter()
        .filter(|b| b.dependency_type == DependencyType::RunTime)
        .filter(|b| platform.as_ref().is_none_or(|p| &b.platform == p))
        .collect();
    match runtime.as_slice() {
        [base] => Ok(base),
        _ => Err(match platform {
            Some(p) => {
                format!("the task has no one recorded runtime base for {p} (run it once first)")
            }
            None => "the task has no one recorded runtime base (run it once first)".into(),
        }),
    }
}

/// `recorded` with `platform`'s runtime base at its new digests (every platform's: None).
fn moved_bases(
    recorded: &[RecordedBase],
    platform: Option<&Platform>,
    index_digest: &str,
    platform_digest: &str,
) -> Vec<RecordedBase> {
    let platform = platform.map(ToString::to_string);
    recorded
        .iter()
        .map(|b| {
            let mut b = b.clone();
            if b.dependency_type == DependencyType::RunTime
                && platform.as_ref().is_none_or(|p| &b.platform == p)
            {
                b.index_digest = Some(index_digest.to_string());
                b.platform_digest = Some(platform_digest.to_string());
            }
            b
        })
        .collect()
}

/// One image's rebase from `base` at `old` onto `new`: the rule of `registry::rebase`, the
/// fields it took from the new base said in the log.
async fn rebase_image(
    start: &Start,
    image: &ImageRef,
    (base, old, new): (&RecordedBase, &str, &str),
    targets: &[ImageRef],
    log: &RunLog,
) -> Result<Rebased, String> {
    let by_digest = |digest: &str| ImageRef {
        tag: None,
        digest: Some(digest.to_string()),
        ..base.image()
    };
    let (old_base, new_base) = (by_digest(old), by_digest(new));
    let base_name = base.image().to_string();
    let request = RebaseRequest {
        image,
        old_base: &old_base,
        new_base: &new_base,
        base_name: &base_name,
        targets,
    };
    let rebased = rebase(&start.client, &request)
        .await
        .map_err(|e| format!("{e:#}"))??;
    if !rebased.carried_over.is_empty() {
        let fields: Vec<String> = rebased
            .carried_over
            .iter()
            .map(ToString::to_string)
            .collect();
        log.line(&format!(
            "Taken from the new base (the image had them as the old base): {}",
            fields.join(", ")
        ));
    }
    Ok(rebased)
}

async fn attempt(
    previous: &PreviousOnce<'_>,
    spec: &super::RunSpec,
    vars: &TemplateContext,
    log: &RunLog,
) -> Result<(Built, RebaseRecord), String> {
    let start = start(previous, spec, vars).await?;
    let base = runtime_base(&start.recorded, None)?;
    let old_digest = base
        .platform_digest
        .clone()
        .ok_or("the base's digest is not recorded")?;
    let resolved = start
        .client
        .resolve(&base.image(), &spec.platform)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let base_name = base.image().to_string();
    log.line(&format!(
        "Rebasing {} from {base_name}@{old_digest} onto {}",
        start.image, resolved.platform_digest
    ));
    let digests = (base, old_digest.as_str(), resolved.platform_digest.as_str());
    let rebased = rebase_image(&start, &start.image, digests, &start.targets, log).await?;
    let mut output_images = Vec::new();
    for target in &start.targets {
        log.line(&format!("{target}: {}", rebased.digest));
        output_images.push(ImageDescriptor::of(target, Some(rebased.digest.clone())));
    }
    let bases = moved_bases(
        &start.recorded,
        None,
        &resolved.index_digest,
        &resolved.platform_digest,
    );
    let record = RebaseRecord {
        base_image: base_name,
        from_digest: old_digest,
        to_digest: resolved.platform_digest,
        carried_over: rebased.carried_over,
    };
    let facts = super::provenance::Facts {
        replaced_digest: start.image.digest.clone(),
        ..Default::default()
    };
    Ok((
        Built {
            output_images,
            bases,
            facts,
            platform_images: None,
        },
        record,
    ))
}

/// A task of several platforms: each platform's image whose runtime base moved rebased onto
/// that platform's new base image, the others kept; then one new index under every tag. A
/// platform that cannot be rebased is left to the build (every platform, in lockstep).
async fn attempt_platforms(
    (journal, previous): (&Journal, &PreviousOnce<'_>),
    spec: &super::RunSpec,
    vars: &TemplateContext,
    log: &RunLog,
) -> Result<Done, String> {
    let start = start(previous, spec, vars).await?;
    let last_images = start
        .last
        .platforms
        .clone()
        .ok_or("the task's last run built one platform")?;
    let platforms: Vec<Platform> = spec.platforms().iter().cloned().collect();
    let bases = platforms
        .iter()
        .map(|p| runtime_base(&start.recorded, Some(p)))
        .collect::<Result<Vec<_>, String>>()?;
    let base = bases[0];
    if bases.iter().any(|b| b.image() != base.image()) {
        return Err("the platforms' runtime bases are not one image".into());
    }
    let (index_digest, now) = start
        .client
        .resolve_each(&base.image(), &platforms)
        .await
        .map_err(|e| format!("{e:#}"))?;
    let moving = Moving {
        start: &start,
        log,
        base_name: base.image().to_string(),
        index_digest: index_digest.clone(),
    };
    let mut candidates = Vec::new();
    let mut to_build = Vec::new();
    for ((platform, was), now) in platforms.iter().zip(&bases).zip(now) {
        let now = now.ok_or(format!(
            "{} has no image for {platform} now",
            moving.base_name
        ))?;
        let last = last_images
            .iter()
            .find(|i| &i.platform == platform)
            .and_then(|i| i.digest.clone())
            .ok_or(format!(
                "the task's last run pushed no image for {platform}"
            ))?;
        match moving.platform(platform, was, &now, last).await {
            Ok(candidate) => candidates.push(candidate),
            Err(why) => {
                log.line(&format!(
                    "{platform}: not rebased: {why}; building {platform} instead"
                ));
                to_build.push(platform.to_string());
            }
        }
    }
    if !to_build.is_empty() {
        if spec.platform_lockstep {
            return Err(format!(
                "the task builds its platforms in lockstep, and {} could not be rebased",
                to_build.join(", ")
            ));
        }
        return Ok(Done::Partly(candidates));
    }
    let record = RebaseRecord {
        base_image: moving.base_name,
        from_digest: index_before(&bases, &index_digest),
        to_digest: index_digest.clone(),
        carried_over: Vec::new(),
    };
    let built = push_rebased_index(&start, journal, log, &candidates, &index_digest).await?;
    Ok(Done::All(Box::new(built), record))
}

/// The base's index digest before it moved: a platform's record that still names an older
/// one (watch moves the record of a platform whose image stayed to the new index).
fn index_before(bases: &[&RecordedBase], now: &str) -> String {
    let recorded = || bases.iter().filter_map(|b| b.index_digest.as_deref());
    recorded()
        .find(|d| *d != now)
        .or_else(|| recorded().next())
        .unwrap_or_default()
        .to_string()
}

/// A multi-platform rebase's platforms taken one by one onto the base's new index.
struct Moving<'a> {
    start: &'a Start,
    log: &'a RunLog,
    base_name: String,
    index_digest: String,
}

impl Moving<'_> {
    /// `platform`'s image (`last`, on the runtime base `was`): kept where the base's image for
    /// the platform is still `was`'s, else rebased onto `now` and pushed by digest; Err(why)
    /// when it cannot be rebased.
    async fn platform(
        &self,
        platform: &Platform,
        was: &RecordedBase,
        now: &str,
        last: String,
    ) -> Result<Candidate, String> {
        let start = self.start;
        let old = was
            .platform_digest
            .clone()
            .ok_or("the base's digest is not recorded")?;
        if old == now {
            return Ok(Candidate {
                platform: platform.clone(),
                digest: last,
                bases: start.recorded.clone(),
                rebased: None,
            });
        }
        let image = ImageRef {
            digest: Some(last.clone()),
            ..start.image.clone()
        };
        self.log.line(&format!(
            "Rebasing {platform}: {image} from {}@{old} onto {now}",
            self.base_name
        ));
        // A platform's image is pushed by digest only: the index goes under the tags.
        let by_digest: Vec<ImageRef> = start
            .targets
            .iter()
            .map(|t| ImageRef {
                tag: None,
                digest: None,
                ..t.clone()
            })
            .collect();
        let rebased = rebase_image(start, &image, (was, &old, now), &by_digest, self.log).await?;
        self.log
            .line(&format!("{platform}: rebased to {}", rebased.digest));
        let record = RebaseRecord {
            base_image: self.base_name.clone(),
            from_digest: old,
            to_digest: now.to_string(),
            carried_over: rebased.carried_over,
        };
        Ok(Candidate {
            platform: platform.clone(),
            digest: rebased.digest,
            bases: moved_bases(&start.recorded, Some(platform), &self.index_digest, now),
            rebased: Some((record, last)),
        })
    }
}

/// The index of `candidates` (each by digest, in every target repository) under every tag,
/// annotated with the base and its new index digest; the run's record of it.
async fn push_rebased_index(
    start: &Start,
    journal: &Journal,
    log: &RunLog,
    candidates: &[Candidate],
    index_digest: &str,
) -> Result<Built, String> {
    let mut children = Vec::new();
    for c in candidates {
        let entry = layout::entry_in(&start.client, &start.targets, &c.platform, &c.digest)
            .await
            .ok_or(format!(
                "the {} image {} is not in every target repository",
                c.platform, c.digest
            ))?;
        children.push(Child::Kept(entry));
    }
    let base = runtime_base(&start.recorded, Some(&candidates[0].platform))?;
    let annotations = pipeline::annotations_of_base(&base.image(), index_digest);
    let pushing = push_index(
        (log, journal),
        &start.client,
        &start.targets,
        &annotations,
        &children,
    );
    let mut built = pushing.await.map_err(|stop| stopped(&stop))?;
    let new_children: Vec<NewChild> = candidates
        .iter()
        .filter_map(Candidate::rebased_child)
        .collect();
    mark_rebased(built.platform_images.as_mut(), &new_children);
    // Every platform's runtime base now in the new index; a rebased one at its new digest.
    let mut bases = start.recorded.clone();
    for c in candidates {
        let to = match &c.rebased {
            Some((record, _)) => record.to_digest.clone(),
            None => runtime_base(&start.recorded, Some(&c.platform))?
                .platform_digest
                .clone()
                .unwrap_or_default(),
        };
        bases = moved_bases(&bases, Some(&c.platform), index_digest, &to);
    }
    built.bases = bases;
    built.facts.replaced_digest = start.image.digest.clone();
    built.facts.children = new_children;
    Ok(built)
}

/// Why pushing stopped, as the reason a rebase gives.
fn stopped(stop: &Stop) -> String {
    match stop {
        Stop::Failed(e) => format!("{e:#}"),
        Stop::TimedOut => "the run's timeout passed".into(),
        Stop::Canceled => "canceled".into(),
    }
}
