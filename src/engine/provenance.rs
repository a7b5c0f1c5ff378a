//! Signing what a run pushed, when `signing.key` is set: the run's facts (its spec, bases,
//! trigger and times) made into each pushed image's provenance, signed and attached
//! (`attest`). A run whose images cannot be signed and attached fails: an image the user
//! asked to have signed is never left unsigned without a word.

use super::outcome::{Outcome, fail};
use super::spec::{Build, RunPlan, RunSpec, TaskFileSource};
use super::{Built, log::RunLog};
use crate::attest::statement::{
    BuildKind, Parameter, ResolvedBase, SourceContext, Trigger, without_userinfo,
};
use crate::attest::{self, BuildFacts};
use crate::model::argument::Argument;
use crate::model::image::ImageRef;
use crate::model::run::{RebaseRecord, Run};
use crate::registry::Descriptor;
use crate::registry::referrers;

/// What the run knows beyond its spec and its `Built` outcome, for its provenance.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// The git commit of a git context.
    pub(crate) commit: Option<String>,
    /// For a rebase: the image digest it replaced.
    pub(crate) replaced_digest: Option<String>,
    /// A multi-platform run: the platform images it made (built or rebased; not those kept
    /// from an earlier run), each signed beside the index.
    pub(crate) children: Vec<NewChild>,
    /// For a copy: the platforms of the source's index.
    pub(crate) copied_platforms: Vec<String>,
}

/// A platform image a multi-platform run made, and for a rebased one what the rebase
/// swapped and the image digest it replaced.
#[derive(Debug, Clone)]
pub(crate) struct NewChild {
    pub(crate) platform: crate::model::Platform,
    pub(crate) digest: String,
    pub(crate) rebase: Option<RebaseRecord>,
    pub(crate) replaced: Option<String>,
}

/// The run's outcome, with every pushed image signed and its provenance attached when a key
/// is configured (and named in the run's `attestations`); a failure to sign fails the run.
/// A run that changed nothing (`unchanged`: its images are the task's last ones) signs only
/// an image that does not already carry a signature and provenance that verify with the
/// key, and names those it carries.
pub(super) async fn signed(
    outcome: Outcome<Built>,
    spec: &RunSpec,
    run: &mut Run,
    log: &RunLog,
    unchanged: bool,
) -> Outcome<Built> {
    let built = outcome?;
    let Some(signer) = attest::configured_signer().map_err(fail)? else {
        return Ok(built);
    };
    let facts = build_facts(spec, run, &built, run.rebase.as_ref());
    let mut involved: Vec<String> = built
        .output_images
        .iter()
        .map(|i| i.registry.clone())
        .collect();
    involved.sort();
    involved.dedup();
    let credentials = spec.credentials().looked_up(&involved).await;
    let client = crate::registry::RegistryClient::for_pushing(credentials, &involved);
    let signing = Signing {
        client: &client,
        signer: &signer,
        log,
        unchanged,
    };
    // An image is signed once per repository, whatever tags name it there.
    let mut repositories: Vec<ImageRef> = Vec::new();
    let mut signed: Vec<(ImageRef, &str)> = Vec::new();
    for pushed in &built.output_images {
        let Some(digest) = &pushed.digest else {
            continue;
        };
        let repository = ImageRef {
            registry: pushed.registry.clone(),
            repository: pushed.repository.clone(),
            tag: None,
            digest: None,
        };
        if signed.contains(&(repository.clone(), digest.as_str())) {
            continue;
        }
        signing.attach(run, &repository, digest, &facts).await?;
        signed.push((repository.clone(), digest));
        if !repositories.contains(&repository) {
            repositories.push(repository);
        }
    }
    for child in &built.facts.children {
        let facts = child_facts(spec, run, &built, child);
        for repository in &repositories {
            signing
                .attach(run, repository, &child.digest, &facts)
                .await?;
        }
    }
    Ok(built)
}

/// What signing an image needs: the registry client, the key and the run's log, and
/// whether the run changed nothing.
struct Signing<'a> {
    client: &'a crate::registry::RegistryClient,
    signer: &'a attest::Signer,
    log: &'a RunLog,
    unchanged: bool,
}

impl Signing<'_> {
    /// Signs `image@digest` with `facts` as its provenance, named in the run's attestations;
    /// in a run that changed nothing, what the image already carries when it verifies.
    async fn attach(
        &self,
        run: &mut Run,
        image: &ImageRef,
        digest: &str,
        facts: &BuildFacts,
    ) -> Outcome<()> {
        let name = format!("{}/{}", image.registry, image.repository);
        let mut manifest = None;
        if self.unchanged {
            match self.already_signed(image, digest).await {
                Carried::Verified(verified) => {
                    self.log.line(&format!(
                        "Not signed again: {name}@{digest} already carries a signature and \
                         provenance ({}) that verify with the configured key",
                        verified.provenance
                    ));
                    run.attestations
                        .get_or_insert_with(Vec::new)
                        .push(verified.record(&name));
                    return Ok(());
                }
                Carried::Unverified(read) => manifest = read,
            }
        }
        let subject = manifest
            .as_ref()
            .map_or(attest::Subject::Digest(digest), attest::Subject::Manifest);
        let attached = attest::attest_image(self.client, image, subject, facts, self.signer)
            .await
            .map_err(|e| fail(e.context(format!("signing {image}"))))?;
        self.log.line(&attached.log_line(&name, digest));
        run.attestations
            .get_or_insert_with(Vec::new)
            .push(attached.record(&name, digest));
        Ok(())
    }

    /// What `image@digest` carries (`attest::check_digest`, its manifest read once and kept
    /// for signing it); why it must be signed goes to the log.
    async fn already_signed(&self, image: &ImageRef, digest: &str) -> Carried {
        let by_digest = ImageRef {
            tag: None,
            digest: Some(digest.to_string()),
            ..image.clone()
        };
        let key = self.signer.public_key();
        let (why, manifest) = match self.read_and_check(&by_digest, &key).await {
            Ok((attest::Checked::Verified(verified), _)) => return Carried::Verified(verified),
            Ok((
                attest::Checked::Unsigned { reason, .. } | attest::Checked::Invalid { reason, .. },
                manifest,
            )) => (reason, Some(manifest)),
            Err(e) => (format!("whether it is signed is not known ({e:#})"), None),
        };
        self.log
            .line(&format!("The image is unchanged and signed now: {why}"));
        Carried::Unverified(manifest)
    }

    /// The image's manifest descriptor, read once, and what the image carries.
    async fn read_and_check(
        &self,
        by_digest: &ImageRef,
        key: &attest::PublicKey,
    ) -> crate::error::Result<(attest::Checked, Descriptor)> {
        let manifest = referrers::descriptor_of(self.client, by_digest).await?;
        let digest = manifest.digest.clone();
        let checked = attest::check_digest(self.client, by_digest, digest, key).await?;
        Ok((checked, manifest))
    }
}

/// What an unchanged run's image carries: a signature and provenance that verify with the
/// key, or nothing that does (with its manifest's descriptor, when that could be read).
enum Carried {
    Verified(attest::Verified),
    Unverified(Option<Descriptor>),
}

/// A platform image's provenance: the run's, for its platform and that platform's bases,
/// with what its rebase swapped and the image it replaced.
fn child_facts(spec: &RunSpec, run: &Run, built: &Built, child: &NewChild) -> BuildFacts {
    let mut facts = build_facts(spec, run, built, child.rebase.as_ref());
    let platform = child.platform.to_string();
    facts
        .bases
        .retain(|b| b.platform.as_deref() == Some(platform.as_str()));
    facts.platforms = vec![platform];
    facts.replaced_digest.clone_from(&child.replaced);
    facts
}

fn build_facts(
    spec: &RunSpec,
    run: &Run,
    built: &Built,
    rebased: Option<&RebaseRecord>,
) -> BuildFacts {
    let images: Vec<String> = built
        .output_images
        .iter()
        .map(|i| i.image().to_string())
        .collect();
    let (kind, definition) = match &spec.plan {
        RunPlan::Mirror { source } => {
            let copied = built.bases.first();
            let dependency = copied.map_or_else(|| source.clone(), |b| b.image().to_string());
            let digest = copied.and_then(|b| b.index_digest.as_deref());
            let copy = BuildFacts::copy(
                &spec.registry,
                (source, &dependency),
                digest.unwrap_or_default(),
                built.facts.copied_platforms.clone(),
                images,
            );
            return BuildFacts {
                task: spec.task.clone(),
                run_id: Some(run.run_id.clone()),
                started_on: run.start_time.clone(),
                trigger: trigger(spec),
                ..copy
            };
        }
        RunPlan::Rebase(_) if rebased.is_some() => (BuildKind::Rebase, None),
        RunPlan::Build(build) | RunPlan::Rebase(build) => match build {
            Build::Dockerfile { path, text } => (
                BuildKind::Dockerfile,
                Some(match text {
                    Some(_) => "(stdin)".to_string(),
                    None => path.clone(),
                }),
            ),
            Build::TaskFile { source, .. } => (
                BuildKind::TaskFile,
                Some(match source {
                    TaskFileSource::Path(path) => path.clone(),
                    TaskFileSource::Inline(_) => "(inline)".to_string(),
                }),
            ),
        },
    };
    let context = spec
        .context
        .as_deref()
        .filter(|c| !c.is_empty() && *c != "/dev/null")
        .map(|c| SourceContext {
            uri: without_userinfo(c),
            commit: built.facts.commit.clone(),
        });
    BuildFacts {
        kind,
        registry: spec.registry.clone(),
        task: spec.task.clone(),
        definition,
        arguments: parameters(&spec.arguments),
        values: parameters(&spec.values),
        target: spec.target.clone(),
        images,
        platforms: spec.platforms().iter().map(ToString::to_string).collect(),
        all_platforms: false,
        bases: built
            .bases
            .iter()
            .map(|b| ResolvedBase {
                name: b.image().to_string(),
                digest: b.platform_digest.clone(),
                index_digest: b.index_digest.clone(),
                platform: Some(b.platform.clone()),
                dependency_type: serde_json::to_value(b.dependency_type)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string)),
            })
            .collect(),
        context,
        builder: run.builder.clone(),
        run_id: Some(run.run_id.clone()),
        started_on: run.start_time.clone(),
        finished_on: crate::model::task::now_rfc3339(),
        trigger: trigger(spec),
        rebase: rebased.cloned(),
        replaced_digest: built.facts.replaced_digest.clone(),
    }
}

/// Arguments by name, a secret one without its value.
fn parameters(arguments: &[Argument]) -> Vec<Parameter> {
    arguments
        .iter()
        .map(|a| Parameter {
            name: a.name.clone(),
            value: match a.is_secret {
                true => None,
                false => Some(a.value.clone().unwrap_or_default()),
            },
        })
        .collect()
}

fn trigger(spec: &RunSpec) -> Trigger {
    if let Some(source) = &spec.source_trigger {
        return Trigger::Source(source.clone());
    }
    if let Some(timer) = &spec.timer_trigger {
        return Trigger::Timer(timer.clone());
    }
    match &spec.image_update_trigger {
        Some(update) => Trigger::ImageUpdate(update.images.clone()),
        None => Trigger::Manual,
    }
}
