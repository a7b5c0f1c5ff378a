//! The base image dependencies of a Dockerfile: what a run records and `acrt scan` prints.
//!
//! Build args are the starting variables; a global `ARG name=value` sets a name only when it
//! is not set yet. `FROM` resolves stage names transitively; `--target` stops at that stage.
//! The runtime dependency is the origin of the final (or target) stage; buildtime ones are the
//! other external origins, plus images named by `COPY --from` and `RUN --mount=from=`.

mod expand;

use parse_dockerfile::Instruction;

use crate::error::{Result, invalid};
use crate::model::image::ImageRef;
pub use crate::model::status::DependencyType;

pub use expand::expand;

/// One base image: `image` is None for `scratch`, which is no real image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseImage {
    pub dependency_type: DependencyType,
    pub image: Option<ImageRef>,
    /// The 1-based line of the instruction that names it.
    pub line: usize,
}

#[derive(Debug, Clone, Copy)]
enum Origin {
    Scratch,
    External(usize), // index into `externals`
    Stage(usize),
}

struct StageInfo {
    name: Option<String>,
    origin: Origin,
}

/// The stages so far, with an index by name (a later stage of the same name wins, as the
/// first match in order of definition is the earliest: keep the first).
#[derive(Default)]
struct Stages {
    list: Vec<StageInfo>,
    by_name: std::collections::HashMap<String, usize>,
}

impl Stages {
    fn push(&mut self, stage: StageInfo) {
        if let Some(name) = &stage.name {
            self.by_name.entry(name.clone()).or_insert(self.list.len());
        }
        self.list.push(stage);
    }
}

/// Where a Dockerfile names an image: the bytes of the image text (in the file with any BOM
/// removed), what kind of place it is, and the image it names once expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub span: std::ops::Range<usize>,
    pub kind: SiteKind,
    pub image: ImageRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// `FROM <image>`: the span is the image.
    From,
    /// `COPY --from=<image>`: the span is the flag's value.
    CopyFrom,
    /// `RUN --mount=...,from=<image>`: the span is the whole mount value.
    MountFrom,
}

/// A scan: the base images, and every place that names one of them.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    pub bases: Vec<BaseImage>,
    pub sites: Vec<Site>,
}

/// Scans `text`. `build_args` are NAME=VALUE pairs given to the build.
pub fn scan(
    text: &str,
    build_args: &[(String, String)],
    target: Option<&str>,
) -> Result<Vec<BaseImage>> {
    scan_sites(text, build_args, target).map(|s| s.bases)
}

/// Like [`scan`], with the places that name each image (what a pinned build rewrites).
pub fn scan_sites(
    text: &str,
    build_args: &[(String, String)],
    target: Option<&str>,
) -> Result<Scan> {
    // A UTF-8 byte order mark is not part of the first instruction (BuildKit drops it too).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = parse_dockerfile::parse(text)
        .map_err(|e| invalid(format!("Dockerfile line {}: {e}", e.line())))?;
    // Line numbers by binary search over the line starts: linear in the file, whatever the
    // number of instructions.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);

    let mut vars: Vec<(String, String)> = build_args.to_vec();
    for arg in file.global_args() {
        for (name, value) in split_arg_definitions(&arg.arguments.value) {
            if let Some(value) = value
                && !vars.iter().any(|(n, _)| *n == name)
            {
                let value = expand(&value, &vars);
                vars.push((name, value));
            }
        }
    }

    let mut externals: Vec<(ImageRef, usize)> = Vec::new();
    let mut external_index: std::collections::HashMap<ImageRef, usize> = Default::default();
    let mut add_external = |image: ImageRef, line: usize| -> usize {
        *external_index.entry(image.clone()).or_insert_with(|| {
            externals.push((image, line));
            externals.len() - 1
        })
    };
    let mut stages = Stages::default();
    let mut sites: Vec<(std::ops::Range<usize>, SiteKind, usize)> = Vec::new();
    let mut extra_buildtime: Vec<usize> = Vec::new();
    let mut target_index = None;

    for stage in file.stages() {
        let from = stage.from;
        let line = line_of(from.from.span.start);
        let written = expand(&from.image.value, &vars);
        if written.is_empty() {
            return Err(invalid(format!(
                "Dockerfile line {line}: FROM names no image after expanding '{}'; pass the missing \
                 variable with --build-arg (or --arg for a task)",
                from.image.value
            )));
        }
        let origin = resolve_origin(&written, &stages, line, &mut add_external)?;
        if let Origin::External(i) = origin {
            sites.push((from.image.span.clone(), SiteKind::From, i));
        }
        let name = from.as_.as_ref().map(|(_, n)| n.value.to_ascii_lowercase());
        let index = stages.list.len();
        stages.push(StageInfo {
            name: name.clone(),
            origin,
        });
        for instruction in stage.instructions {
            for (source, span, kind) in stage_sources(instruction) {
                let source = expand(&source, &vars);
                let line = line_of(instruction_start(instruction));
                if let Origin::External(i) =
                    resolve_origin(&source, &stages, line, &mut add_external)?
                {
                    extra_buildtime.push(i);
                    sites.push((span, kind, i));
                }
            }
        }
        if let (Some(t), Some(n)) = (target, &name)
            && t.eq_ignore_ascii_case(n)
        {
            target_index = Some(index);
            break;
        }
    }
    if let Some(t) = target
        && target_index.is_none()
    {
        let names: Vec<_> = stages.list.iter().filter_map(|s| s.name.clone()).collect();
        return Err(invalid(format!(
            "the target stage '{t}' is not in the Dockerfile (named stages: {})",
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        )));
    }
    let stages = stages.list;
    let final_index = target_index.unwrap_or(stages.len() - 1);

    let root = |mut index: usize| loop {
        match stages[index].origin {
            Origin::Stage(i) => index = i,
            other => return other,
        }
    };
    let runtime = root(final_index);
    let mut out = Vec::new();
    let final_line = |o: Origin| match o {
        Origin::External(i) => externals[i].1,
        _ => 0,
    };
    match runtime {
        Origin::External(i) => out.push(BaseImage {
            dependency_type: DependencyType::RunTime,
            image: Some(externals[i].0.clone()),
            line: final_line(runtime),
        }),
        Origin::Scratch => out.push(BaseImage {
            dependency_type: DependencyType::RunTime,
            image: None,
            line: 0,
        }),
        Origin::Stage(_) => unreachable!("root() follows stages to their end"),
    }
    let buildtime: Vec<usize> = (0..=final_index)
        .filter_map(|i| match stages[i].origin {
            Origin::External(e) => Some(e),
            _ => None,
        })
        .chain(extra_buildtime)
        .collect();
    let mut seen = std::collections::HashSet::new();
    for e in buildtime {
        if matches!(runtime, Origin::External(r) if r == e) || !seen.insert(e) {
            continue;
        }
        out.push(BaseImage {
            dependency_type: DependencyType::BuildTime,
            image: Some(externals[e].0.clone()),
            line: externals[e].1,
        });
    }
    let sites = sites
        .into_iter()
        .map(|(span, kind, i)| Site {
            span,
            kind,
            image: externals[i].0.clone(),
        })
        .collect();
    Ok(Scan { bases: out, sites })
}

/// A FROM or --from value: `scratch`, an earlier stage (by name or number), or an image.
fn resolve_origin(
    written: &str,
    stages: &Stages,
    line: usize,
    add_external: &mut impl FnMut(ImageRef, usize) -> usize,
) -> Result<Origin> {
    let lower = written.to_ascii_lowercase();
    if lower == "scratch" {
        return Ok(Origin::Scratch);
    }
    if let Some(&i) = stages.by_name.get(&lower) {
        return Ok(Origin::Stage(i));
    }
    if let Ok(i) = lower.parse::<usize>() {
        return if i < stages.list.len() {
            Ok(Origin::Stage(i))
        } else {
            Err(invalid(format!(
                "Dockerfile line {line}: stage {i} does not exist yet"
            )))
        };
    }
    let image =
        ImageRef::parse(written).map_err(|e| invalid(format!("Dockerfile line {line}: {e}")))?;
    Ok(Origin::External(add_external(image, line)))
}

/// Images or stages an instruction reads from: `COPY --from=X`, `RUN --mount=...,from=X`,
/// with the span of the flag's value.
fn stage_sources(instruction: &Instruction<'_>) -> Vec<(String, std::ops::Range<usize>, SiteKind)> {
    match instruction {
        Instruction::Copy(c) => c
            .options
            .iter()
            .filter(|f| f.name.value == "from")
            .filter_map(|f| f.value.as_ref())
            .map(|v| (v.value.to_string(), v.span.clone(), SiteKind::CopyFrom))
            .collect(),
        Instruction::Run(r) => r
            .options
            .iter()
            .filter(|f| f.name.value == "mount")
            .filter_map(|f| f.value.as_ref())
            .filter_map(|v| {
                mount_from(&v.value).map(|from| (from, v.span.clone(), SiteKind::MountFrom))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The `from=` of a mount's value.
fn mount_from(mount: &str) -> Option<String> {
    mount
        .split(',')
        .find_map(|kv| kv.trim().strip_prefix("from=").map(str::to_string))
}

/// `text` with each site's image pinned to the digest `digest_of` gives it: FROM and
/// `--from=` values become `registry/repository:tag@sha256:...` (what every builder pulls by
/// digest). Sites that already name a digest, or have none given, stay. Returns the text and
/// one line per pinned site for the run log.
pub fn pin(
    text: &str,
    sites: &[Site],
    digest_of: impl Fn(&ImageRef) -> Option<String>,
) -> (String, Vec<String>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sites: Vec<&Site> = sites.iter().collect();
    sites.sort_by_key(|s| std::cmp::Reverse(s.span.start));
    let mut out = text.to_string();
    let mut pinned = Vec::new();
    for site in sites {
        if site.image.digest.is_some() || site.span.end > out.len() {
            continue;
        }
        let Some(digest) = digest_of(&site.image) else {
            continue;
        };
        let reference = pinned_reference(&site.image, &digest);
        let original = &text[site.span.clone()];
        let replacement = match site.kind {
            SiteKind::From | SiteKind::CopyFrom => reference.clone(),
            SiteKind::MountFrom => original
                .split(',')
                .map(|kv| match kv.trim().strip_prefix("from=") {
                    Some(_) => format!("from={reference}"),
                    None => kv.to_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
        };
        pinned.push(format!("Pinned {} to {reference}", site.image));
        out.replace_range(site.span.clone(), &replacement);
    }
    pinned.reverse();
    (out, pinned)
}

/// `name:tag@digest` as builders take it (Docker Hub as `docker.io/...`).
fn pinned_reference(image: &ImageRef, digest: &str) -> String {
    let registry = if image.registry == crate::model::image::DOCKER_HUB {
        "docker.io"
    } else {
        &image.registry
    };
    match &image.tag {
        Some(tag) => format!("{registry}/{}:{tag}@{digest}", image.repository),
        None => format!("{registry}/{}@{digest}", image.repository),
    }
}

fn instruction_start(instruction: &Instruction<'_>) -> usize {
    match instruction {
        Instruction::Copy(c) => c.copy.span.start,
        Instruction::Run(r) => r.run.span.start,
        _ => 0,
    }
}

/// `a=1 b "c=two words"` -> [(a, Some(1)), (b, None), (c, Some(two words))].
fn split_arg_definitions(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut words = Vec::new();
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            (None, c) => current.push(c),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    for w in words {
        match w.split_once('=') {
            Some((n, v)) => out.push((n.to_string(), Some(v.to_string()))),
            None => out.push((w, None)),
        }
    }
    out
}

#[cfg(test)]
mod tests;
