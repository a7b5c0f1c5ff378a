//! The provenance of one pushed image: an in-toto Statement v1 whose predicate is SLSA
//! Provenance v1, made from what a run recorded ([`BuildFacts`]), and read back into a
//! summary for `acrt verify -o table`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{Result, failed};
use crate::model::run::{
    RebaseRecord, SourceTriggerDescriptor, TimerTriggerDescriptor, UpdatedImage,
};

pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
pub const SLSA_PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";

/// What kind of run made the image: the build type of its provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildKind {
    Dockerfile,
    TaskFile,
    Rebase,
    Mirror,
}

impl BuildKind {
    fn build_type(self) -> &'static str {
        match self {
            BuildKind::Dockerfile => "urn:acrt:buildtype:dockerfile:v1",
            BuildKind::TaskFile => "urn:acrt:buildtype:taskfile:v1",
            BuildKind::Rebase => "urn:acrt:buildtype:rebase:v1",
            BuildKind::Mirror => "urn:acrt:buildtype:mirror:v1",
        }
    }
}

/// Why the run ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// Started by a command (`task run`, `build`, `task rebase`).
    Manual,
    /// Bases that moved, each with the digest the task was built on and the new one.
    ImageUpdate(Vec<UpdatedImage>),
    Timer(TimerTriggerDescriptor),
    /// A commit (or another source event) on the context's repository.
    Source(SourceTriggerDescriptor),
}

/// A base image the run resolved before it built, by digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedBase {
    /// `registry/repository[:tag]` as the Dockerfile (or mirror task) names it.
    pub name: String,
    /// The platform's manifest digest the build was pinned to.
    pub digest: Option<String>,
    /// The digest the tag resolved to (an index, or the same manifest).
    pub index_digest: Option<String>,
    /// The platform built on; None for a copy (every platform of it).
    pub platform: Option<String>,
    /// `RunTime` or `BuildTime`; None for a copy's source.
    pub dependency_type: Option<String>,
}

/// The run's context: where it came from, and for a git context the commit it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceContext {
    /// As given, without any user or password in it.
    pub uri: String,
    pub commit: Option<String>,
}

/// A build argument or task-file value: its value, or None when it is secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub value: Option<String>,
}

/// Everything a run knows about how it made its images.
#[derive(Debug, Clone)]
pub struct BuildFacts {
    pub kind: BuildKind,
    pub registry: String,
    pub task: Option<String>,
    /// The Dockerfile (or task file) as named (`-f`), or the mirror's source.
    pub definition: Option<String>,
    pub arguments: Vec<Parameter>,
    pub values: Vec<Parameter>,
    pub target: Option<String>,
    /// The names the image was pushed as (`registry/repository[:tag]`).
    pub images: Vec<String>,
    /// The platforms built; for a copy, the platforms of the source's index (none for a
    /// single image).
    pub platforms: Vec<String>,
    /// A copy of every platform of its source, as a copy always is.
    pub all_platforms: bool,
    pub bases: Vec<ResolvedBase>,
    pub context: Option<SourceContext>,
    /// The builder as the run recorded it (`buildah 1.28 (local)`), None for a copy.
    pub builder: Option<String>,
    /// The run's ID; None for what no run made (`acrt import`).
    pub run_id: Option<String>,
    pub started_on: Option<String>,
    pub finished_on: String,
    pub trigger: Trigger,
    /// For a rebase: the base swapped, and the image digest the rebase replaced.
    pub rebase: Option<RebaseRecord>,
    pub replaced_digest: Option<String>,
}

impl BuildFacts {
    /// A copy's facts (`acrt import`, a mirror task's run): `source` as given, its name as
    /// a dependency (`registry/repository[:tag]`) and the digest it resolved to (which the
    /// copy has), the platforms of its index, the names it was copied to in `registry`;
    /// started by hand, by no run (a mirror task's run sets its task, run and trigger over
    /// these).
    pub fn copy(
        registry: &str,
        (source, dependency): (&str, &str),
        digest: &str,
        platforms: Vec<String>,
        images: Vec<String>,
    ) -> BuildFacts {
        BuildFacts {
            kind: BuildKind::Mirror,
            registry: registry.to_string(),
            task: None,
            definition: Some(source.to_string()),
            arguments: Vec::new(),
            values: Vec::new(),
            target: None,
            images,
            platforms,
            all_platforms: true,
            bases: vec![ResolvedBase {
                name: dependency.to_string(),
                digest: Some(digest.to_string()),
                index_digest: Some(digest.to_string()),
                platform: None,
                dependency_type: None,
            }],
            context: None,
            builder: None,
            run_id: None,
            started_on: None,
            finished_on: crate::model::task::now_rfc3339(),
            trigger: Trigger::Manual,
            rebase: None,
            replaced_digest: None,
        }
    }
}

/// The statement for `subject` (`registry/repository`) at `digest`, as JSON bytes.
pub fn statement(facts: &BuildFacts, subject: &str, digest: &str) -> Result<Vec<u8>> {
    let hex = digest.strip_prefix("sha256:").ok_or_else(|| {
        failed(format!(
            "{subject}: the digest {digest} is not a sha256 digest"
        ))
    })?;
    let statement = Statement {
        kind: STATEMENT_TYPE,
        subject: vec![json!({"name": subject, "digest": {"sha256": hex}})],
        predicate_type: SLSA_PROVENANCE_V1,
        predicate: json!({
            "buildDefinition": {
                "buildType": facts.kind.build_type(),
                "externalParameters": external_parameters(facts),
                "internalParameters": internal_parameters(facts),
                "resolvedDependencies": resolved_dependencies(facts),
            },
            "runDetails": {
                "builder": {
                    "id": format!("urn:acrt:builder:{}", builder_name(facts)),
                    "version": builder_version(facts),
                },
                "metadata": without_nulls(json!({
                    "invocationId": facts.run_id,
                    "startedOn": facts.started_on,
                    "finishedOn": facts.finished_on,
                })),
            },
        }),
    };
    Ok(serde_json::to_vec(&statement)?)
}

#[derive(Serialize)]
struct Statement {
    #[serde(rename = "_type")]
    kind: &'static str,
    subject: Vec<Value>,
    #[serde(rename = "predicateType")]
    predicate_type: &'static str,
    predicate: Value,
}

fn without_nulls(mut object: Value) -> Value {
    if let Some(o) = object.as_object_mut() {
        o.retain(|_, v| !v.is_null());
    }
    object
}

fn parameters(list: &[Parameter]) -> (BTreeMap<&str, &str>, Vec<&str>) {
    let mut given = BTreeMap::new();
    let mut secret = Vec::new();
    for p in list {
        match &p.value {
            Some(v) => {
                given.insert(p.name.as_str(), v.as_str());
            }
            None => secret.push(p.name.as_str()),
        }
    }
    (given, secret)
}

fn external_parameters(f: &BuildFacts) -> Value {
    let (arguments, secret_arguments) = parameters(&f.arguments);
    let (values, secret_values) = parameters(&f.values);
    let definition_key = match f.kind {
        BuildKind::TaskFile => "taskFile",
        BuildKind::Mirror => "source",
        BuildKind::Dockerfile | BuildKind::Rebase => "dockerfile",
    };
    let mut out = json!({
        "registry": f.registry,
        "task": f.task,
        definition_key: f.definition,
        "target": f.target,
        "images": f.images,
        "platforms": f.platforms,
        "context": f.context.as_ref().map(|c| &c.uri),
        "trigger": trigger_json(&f.trigger),
    });
    let object = out.as_object_mut().expect("an object");
    object.retain(|_, v| !v.is_null() && *v != json!([]));
    if f.all_platforms {
        object.insert("allPlatforms".into(), json!(true));
    }
    let lists = [
        ("arguments", json!(arguments), arguments.is_empty()),
        (
            "secretArguments",
            json!(secret_arguments),
            secret_arguments.is_empty(),
        ),
        ("values", json!(values), values.is_empty()),
        (
            "secretValues",
            json!(secret_values),
            secret_values.is_empty(),
        ),
    ];
    for (key, value, empty) in lists {
        if !empty {
            object.insert(key.into(), value);
        }
    }
    out
}

fn internal_parameters(f: &BuildFacts) -> Value {
    let mut out = json!({});
    if let Some(r) = &f.rebase {
        out["rebase"] = json!({
            "baseImage": r.base_image,
            "fromDigest": r.from_digest,
            "toDigest": r.to_digest,
            "replacedDigest": f.replaced_digest,
        });
    }
    out
}

/// The trigger as the provenance says it: its kind and what it names.
fn trigger_json(trigger: &Trigger) -> Value {
    match trigger {
        Trigger::Manual => json!({"kind": "Manual"}),
        Trigger::ImageUpdate(images) => json!({
            "kind": "ImageUpdate",
            "images": images.iter().map(|i| json!({
                "name": i.image().to_string(),
                "previousDigest": i.previous_digest,
                "digest": i.digest,
            })).collect::<Vec<_>>(),
        }),
        Trigger::Timer(t) => json!({
            "kind": "Timer",
            "timer": t.timer_trigger_name,
            "scheduleOccurrence": t.schedule_occurrence,
        }),
        Trigger::Source(s) => json!({
            "kind": "Source",
            "eventType": s.event_type,
            "repository": without_userinfo(&s.repository_url),
            "branch": s.branch_name,
            "commit": s.commit_id,
        }),
    }
}

fn digest_set(digest: &str) -> Value {
    match digest.split_once(':') {
        Some((algorithm, hex)) => json!({ algorithm: hex }),
        None => json!({}),
    }
}

fn resolved_dependencies(f: &BuildFacts) -> Vec<Value> {
    let mut out: Vec<Value> = f
        .bases
        .iter()
        .map(|b| {
            let mut annotations = json!({});
            if let Some(platform) = &b.platform {
                annotations["platform"] = json!(platform);
            }
            if let Some(dependency_type) = &b.dependency_type {
                annotations["dependencyType"] = json!(dependency_type);
            }
            if let Some(index) = b
                .index_digest
                .as_ref()
                .filter(|i| Some(*i) != b.digest.as_ref())
            {
                annotations["indexDigest"] = json!(index);
            }
            let mut dependency = json!({
                "uri": format!("oci://{}", b.name),
                "name": b.name,
                "digest": b.digest.as_deref().map_or(json!({}), digest_set),
            });
            if annotations != json!({}) {
                dependency["annotations"] = annotations;
            }
            dependency
        })
        .collect();
    if let Some(c) = &f.context {
        let mut dependency = json!({"uri": c.uri, "name": "context"});
        if let Some(commit) = &c.commit {
            dependency["digest"] = json!({"gitCommit": commit});
        }
        out.push(dependency);
    }
    out
}

fn builder_name(f: &BuildFacts) -> &str {
    match (&f.builder, f.kind) {
        (_, BuildKind::Mirror) => "copy",
        (_, BuildKind::Rebase) if f.rebase.is_some() => "rebase",
        (Some(b), _) => b.split_whitespace().next().unwrap_or("unknown"),
        (None, _) => "unknown",
    }
}

fn builder_version(f: &BuildFacts) -> Value {
    let mut version = json!({"acrt": env!("CARGO_PKG_VERSION")});
    if let Some(b) = &f.builder {
        version["builder"] = json!(b);
    }
    version
}

/// A URL with any `user:password@` taken out (a git URL may carry a token).
pub fn without_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// What `acrt verify -o table` shows of a statement: who built it, from what, and why.
pub fn summary(statement: &Value) -> Vec<(String, String)> {
    let predicate = &statement["predicate"];
    let definition = &predicate["buildDefinition"];
    let details = &predicate["runDetails"];
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut rows = vec![
        ("builtBy".to_string(), text(&details["builder"]["id"])),
        (
            "builder".to_string(),
            text(&details["builder"]["version"]["builder"]),
        ),
        (
            "run".to_string(),
            text(&details["metadata"]["invocationId"]),
        ),
        (
            "finished".to_string(),
            text(&details["metadata"]["finishedOn"]),
        ),
        (
            "task".to_string(),
            text(&definition["externalParameters"]["task"]),
        ),
        (
            "why".to_string(),
            why(&definition["externalParameters"]["trigger"]),
        ),
    ];
    for dependency in definition["resolvedDependencies"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let digest = dependency["digest"]
            .as_object()
            .and_then(|d| d.iter().next())
            .map(|(algorithm, hex)| format!("{algorithm}:{}", text(hex)))
            .unwrap_or_default();
        rows.push((
            "from".into(),
            format!("{} {digest}", text(&dependency["uri"])),
        ));
    }
    rows.retain(|(_, v)| !v.is_empty());
    rows
}

/// The trigger in a few words: the bases that moved with their digests, the timer, the commit.
fn why(trigger: &Value) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("?").to_string();
    match trigger["kind"].as_str() {
        Some("ImageUpdate") => trigger["images"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                format!(
                    "base {} moved from {} to {}",
                    text(&i["name"]),
                    text(&i["previousDigest"]),
                    text(&i["digest"])
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some("Timer") => format!(
            "timer {} at {}",
            text(&trigger["timer"]),
            text(&trigger["scheduleOccurrence"])
        ),
        Some("Source") => format!(
            "{} {} on {}",
            text(&trigger["eventType"]),
            text(&trigger["commit"]),
            text(&trigger["repository"])
        ),
        Some(kind) => kind.to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_taken_out_of_urls() {
        assert_eq!(
            without_userinfo("https://user:tok@git.example/r.git#main"),
            "https://git.example/r.git#main"
        );
        assert_eq!(
            without_userinfo("https://git.example/a@b"),
            "https://git.example/a@b"
        );
        assert_eq!(without_userinfo("/srv/context"), "/srv/context");
    }

    #[test]
    fn secret_parameters_are_named_without_their_value() {
        let facts = BuildFacts {
            kind: BuildKind::Dockerfile,
            registry: "r.example".into(),
            task: Some("app".into()),
            definition: Some("Dockerfile".into()),
            arguments: vec![
                Parameter {
                    name: "A".into(),
                    value: Some("1".into()),
                },
                Parameter {
                    name: "TOKEN".into(),
                    value: None,
                },
            ],
            values: Vec::new(),
            target: None,
            images: vec!["r.example/app:1".into()],
            platforms: vec!["linux/amd64".into()],
            all_platforms: false,
            bases: Vec::new(),
            context: None,
            builder: Some("buildah 1.28".into()),
            run_id: Some("ca1".into()),
            started_on: None,
            finished_on: "2026-01-01T00:00:00Z".into(),
            trigger: Trigger::Manual,
            rebase: None,
            replaced_digest: None,
        };
        let digest = format!("sha256:{}", "a".repeat(64));
        let s: Value =
            serde_json::from_slice(&statement(&facts, "r.example/app", &digest).unwrap()).unwrap();
        let external = &s["predicate"]["buildDefinition"]["externalParameters"];
        assert_eq!(external["arguments"], json!({"A": "1"}));
        assert_eq!(external["secretArguments"], json!(["TOKEN"]));
        assert_eq!(s["subject"][0]["digest"]["sha256"], json!("a".repeat(64)));
        assert_eq!(
            s["predicate"]["runDetails"]["builder"]["id"],
            json!("urn:acrt:builder:buildah")
        );
    }

    #[test]
    fn a_moved_base_is_named_by_tag_or_by_repository_alone() {
        let moved = |tag: Option<&str>| UpdatedImage {
            digest: Some("sha256:new".into()),
            previous_digest: Some("sha256:old".into()),
            registry: "r.example".into(),
            repository: "base/node".into(),
            tag: tag.map(str::to_string),
        };
        let trigger = Trigger::ImageUpdate(vec![moved(Some("20")), moved(None)]);
        assert_eq!(
            serde_json::to_string(&trigger_json(&trigger)).unwrap(),
            r#"{"images":[{"digest":"sha256:new","name":"r.example/base/node:20","previousDigest":"sha256:old"},{"digest":"sha256:new","name":"r.example/base/node","previousDigest":"sha256:old"}],"kind":"ImageUpdate"}"#
        );
    }

    #[test]
    fn a_copy_names_its_source_by_digest_and_every_platform() {
        let digest = format!("sha256:{}", "c".repeat(64));
        let facts = BuildFacts::copy(
            "r.example",
            ("src.example/node:20", "src.example/node:20"),
            &digest,
            vec!["linux/amd64".into(), "linux/arm64".into()],
            vec!["r.example/base/node:20".into()],
        );
        let s: Value =
            serde_json::from_slice(&statement(&facts, "r.example/base/node", &digest).unwrap())
                .unwrap();
        let definition = &s["predicate"]["buildDefinition"];
        assert_eq!(
            definition["buildType"],
            json!("urn:acrt:buildtype:mirror:v1")
        );
        let external = &definition["externalParameters"];
        assert_eq!(external["source"], json!("src.example/node:20"));
        assert_eq!(external["platforms"], json!(["linux/amd64", "linux/arm64"]));
        assert_eq!(external["allPlatforms"], json!(true));
        assert_eq!(
            definition["resolvedDependencies"],
            json!([{
                "uri": "oci://src.example/node:20",
                "name": "src.example/node:20",
                "digest": {"sha256": "c".repeat(64)},
            }])
        );
        assert!(
            s["predicate"]["runDetails"]["metadata"]
                .get("invocationId")
                .is_none()
        );
    }
}
