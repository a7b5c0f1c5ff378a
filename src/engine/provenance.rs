//! Signing what a run pushed, when `signing.key` is set: the run's facts (its spec, bases,
//! trigger and times) made into each pushed image's provenance, signed and attached
//! (`attest`). A run whose images cannot be signed and attached fails: an image the user
//! asked to have signed is never left unsigned without a word.

use super::outcome::{Outcome, fail};
use super::spec::{Build, RunPlan, RunSpec, TaskFileSource};
use super::{Built, log::RunLog};
use crate::attest::statement::{
    BuildKind, Parameter, ResolvedBase, SourceContext, Trigger, base_name, without_userinfo,
};
use crate::attest::{self, BuildFacts};
use crate::model::argument::Argument;
use crate::model::image::ImageRef;
use crate::model::run::{RebaseRecord, Run};

/// What the run knows beyond its spec and its `Built` outcome, for its provenance.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// The git commit of a git context.
    pub(crate) commit: Option<String>,
    /// For a rebase: the image digest it replaced.
    pub(crate) replaced_digest: Option<String>,
    /// For a copy: the platforms of the source's index.
    pub(crate) copied_platforms: Vec<String>,
}

/// The run's outcome, with every pushed image signed and its provenance attached when a key
/// is configured (and named in the run's `attestations`); a failure to sign fails the run.
pub(super) async fn signed(
    outcome: Outcome<Built>,
    spec: &RunSpec,
    run: &mut Run,
    log: &RunLog,
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
    for pushed in &built.output_images {
        let Some(digest) = &pushed.digest else {
            continue;
        };
        let image = ImageRef {
            registry: pushed.registry.clone(),
            repository: pushed.repository.clone(),
            tag: pushed.tag.clone(),
            digest: None,
        };
        let attached = attest::attest_image(&client, &image, digest, &facts, &signer)
            .await
            .map_err(|e| fail(e.context(format!("signing {image}"))))?;
        let name = format!("{}/{}", image.registry, image.repository);
        log.line(&attached.log_line(&name, digest));
        run.attestations
            .get_or_insert_with(Vec::new)
            .push(attached.record(&name, digest));
    }
    Ok(built)
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
        .map(|i| base_name(&i.registry, &i.repository, i.tag.as_deref()))
        .collect();
    let (kind, definition) = match &spec.plan {
        RunPlan::Mirror { source } => {
            let copied = built.bases.first();
            let dependency = copied.map_or_else(
                || source.clone(),
                |b| base_name(&b.registry, &b.repository, b.tag.as_deref()),
            );
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
    let platforms = match &built.platform_images {
        Some(several) => several.iter().map(|p| p.platform.to_string()).collect(),
        None => vec![spec.platform.to_string()],
    };
    BuildFacts {
        kind,
        registry: spec.registry.clone(),
        task: spec.task.clone(),
        definition,
        arguments: parameters(&spec.arguments),
        values: parameters(&spec.values),
        target: spec.target.clone(),
        images,
        platforms,
        all_platforms: false,
        bases: built
            .bases
            .iter()
            .map(|b| ResolvedBase {
                name: base_name(&b.registry, &b.repository, b.tag.as_deref()),
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
