//! Stages as BuildKit resolves them: global ARGs and the automatic platform args for FROM,
//! each stage's base (an earlier stage by name, `scratch`, or an image), the stages and
//! images it reads from (`COPY --from`, `RUN --mount=from=`), cycles refused, and from the
//! target only what it reaches.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use super::lexer::{expand_word, has_expansion};
use super::parser::{Dockerfile, Instruction};
use super::words::{arg_definitions, csv_fields};
use super::{ScanOptions, SiteKind};
use crate::error::{Result, invalid};
use crate::model::image::ImageRef;

/// What a FROM or a source names.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Scratch,
    Stage(usize),
    Image(ImageRef),
}

/// A stage or image another stage reads from, where it is named.
#[derive(Debug)]
pub struct Source {
    pub origin: Origin,
    /// The name as written (for messages).
    pub written: String,
    pub kind: SiteKind,
    pub line: usize,
    pub span: Option<Range<usize>>,
}

#[derive(Debug)]
pub struct Stage {
    pub name: Option<String>,
    /// `--platform`, expanded.
    pub platform: Option<crate::model::Platform>,
    pub base: Origin,
    pub line: usize,
    pub base_span: Option<Range<usize>>,
    pub sources: Vec<Source>,
    /// The line of its first RUN, if it has one: a command the builder executes, on the
    /// stage's platform.
    pub first_run: Option<usize>,
}

impl Stage {
    /// BuildKit's name for a stage in messages.
    pub fn display_name(&self, index: usize) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("stage-{index}"))
    }
}

fn at(line: usize, message: impl std::fmt::Display) -> anyhow::Error {
    invalid(format!("Dockerfile line {line}: {message}"))
}

/// The variables FROM sees: the automatic platform args (a build arg of the same name wins),
/// then the global ARGs in order (a build arg for a declared name wins; a later declaration
/// replaces an earlier one; one without a value and no build arg stays unset).
pub fn global_args(file: &Dockerfile, opts: &ScanOptions<'_>) -> Result<Vec<(String, String)>> {
    let target_stage = match opts.target {
        Some(t) => t.to_string(),
        None => last_stage_name(file).unwrap_or_else(|| "default".into()),
    };
    let build = crate::model::platform::Platform::default();
    let build = crate::model::platform::Platform {
        architecture: crate::model::platform::native_architecture().to_string(),
        ..build
    };
    let target = &normalized(opts.platform);
    let automatic = [
        ("BUILDPLATFORM", build.to_string()),
        ("BUILDOS", build.os.clone()),
        ("BUILDOSVERSION", String::new()),
        ("BUILDARCH", build.architecture.clone()),
        ("BUILDVARIANT", build.variant.clone().unwrap_or_default()),
        ("TARGETPLATFORM", target.to_string()),
        ("TARGETOS", target.os.clone()),
        ("TARGETOSVERSION", String::new()),
        ("TARGETARCH", target.architecture.clone()),
        ("TARGETVARIANT", target.variant.clone().unwrap_or_default()),
        ("TARGETSTAGE", target_stage),
    ];
    let given = |name: &str| {
        opts.build_args
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut vars: Vec<(String, String)> = automatic
        .into_iter()
        .map(|(k, v)| (k.to_string(), given(k).unwrap_or(v)))
        .collect();
    for arg in file.instructions.iter().take_while(|i| i.keyword != "FROM") {
        if arg.keyword != "ARG" {
            return Err(at(
                arg.line,
                format!(
                    "{} before the first FROM: only ARG may come before FROM",
                    arg.keyword
                ),
            ));
        }
        for (name, value) in arg_definitions(&arg.rest.text, file.escape) {
            let value = match (given(&name), value) {
                (Some(v), _) => Some(v),
                (None, Some(v)) => Some(
                    expand_word(&v, file.escape, vars.as_slice()).map_err(|e| at(arg.line, e))?,
                ),
                (None, None) => None,
            };
            if let Some(value) = value {
                vars.retain(|(n, _)| *n != name);
                vars.push((name, value));
            }
        }
    }
    Ok(vars)
}

/// The platform as BuildKit normalizes it before naming it: arm64/v8 is arm64, arm is
/// arm/v7, amd64/v1 is amd64.
fn normalized(platform: &crate::model::Platform) -> crate::model::Platform {
    let mut p = platform.clone();
    let v = p.variant.as_deref();
    p.variant = match (p.architecture.as_str(), v) {
        ("arm64", Some("v8" | "8")) | ("amd64", Some("v1" | "1")) => None,
        ("arm", None) => Some("v7".into()),
        _ => p.variant.clone(),
    };
    p
}

fn last_stage_name(file: &Dockerfile) -> Option<String> {
    let from = file
        .instructions
        .iter()
        .rev()
        .find(|i| i.keyword == "FROM")?;
    let words = from.rest.plain_words();
    (words.len() == 3).then(|| words[2].0.to_ascii_lowercase())
}

/// Every stage, in order, with its base and sources.
pub fn stages(file: &Dockerfile, vars: &[(String, String)]) -> Result<Vec<Stage>> {
    let froms: Vec<usize> = (0..file.instructions.len())
        .filter(|&i| file.instructions[i].keyword == "FROM")
        .collect();
    if froms.is_empty() {
        return Err(invalid(
            "the Dockerfile has no FROM: it contains no stages to build",
        ));
    }
    let mut stages: Vec<Stage> = Vec::new();
    // Names so far; a later stage of the same name takes it over, as in BuildKit.
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (n, &start) in froms.iter().enumerate() {
        let end = froms.get(n + 1).copied().unwrap_or(file.instructions.len());
        let mut stage = stage_from(&file.instructions[start], file.escape, vars, &by_name)?;
        for instruction in &file.instructions[start + 1..end] {
            stage.sources.extend(sources_of(instruction, file.escape)?);
            if instruction.keyword == "RUN" && stage.first_run.is_none() {
                stage.first_run = Some(instruction.line);
            }
        }
        if let Some(name) = &stage.name {
            by_name.insert(name.clone(), stages.len());
        }
        stages.push(stage);
    }
    // Sources name stages anywhere in the file (BuildKit finds them by name after reading
    // every stage); whether they come early enough is checked for what the target reaches.
    let count = stages.len();
    for stage in &mut stages {
        for source in &mut stage.sources {
            source.origin = source_origin(source, &by_name, count)?;
        }
    }
    check_cycles(&stages)?;
    Ok(stages)
}

fn stage_from(
    from: &Instruction,
    escape: char,
    vars: &[(String, String)],
    earlier: &HashMap<String, usize>,
) -> Result<Stage> {
    let line = from.line;
    if let Some(flag) = from.flags.iter().find(|f| f.name != "platform") {
        return Err(at(
            line,
            format!("unknown flag: --{} (FROM takes --platform)", flag.name),
        ));
    }
    let words = from.rest.plain_words();
    let (image_word, name) = match words.as_slice() {
        [image] => (image, None),
        [image, as_, name] if as_.0.eq_ignore_ascii_case("as") => (image, Some(name.0.clone())),
        _ => {
            return Err(at(
                line,
                "FROM requires either one or three arguments: FROM image [AS name]",
            ));
        }
    };
    let written = expand_word(&image_word.0, escape, vars).map_err(|e| at(line, e))?;
    if written.is_empty() {
        return Err(at(
            line,
            format!(
                "base name ({}) should not be blank; pass the missing variable with --build-arg \
                 (declared with ARG before the first FROM)",
                image_word.0
            ),
        ));
    }
    let platform = stage_platform(from, escape, vars)?;
    let name = name.map(|n| n.to_ascii_lowercase());
    if let Some(n) = &name {
        let mut chars = n.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
        if !valid {
            return Err(at(
                line,
                format!(
                    "invalid name for build stage: \"{n}\", name can't start with a number or contain symbols"
                ),
            ));
        }
    }
    // An earlier stage's name, as written (names are stored lower case; an image name with
    // capitals is no stage and no valid image either).
    let base = match earlier.get(written.as_str()) {
        Some(&i) => Origin::Stage(i),
        None if written == "scratch" => Origin::Scratch,
        None => Origin::Image(parse_image(&written, line)?),
    };
    Ok(Stage {
        name,
        platform,
        base,
        line,
        base_span: from.rest.span(image_word.1.clone()),
        sources: Vec::new(),
        first_run: None,
    })
}

/// A FROM's `--platform`, expanded with the global args.
fn stage_platform(
    from: &Instruction,
    escape: char,
    vars: &[(String, String)],
) -> Result<Option<crate::model::Platform>> {
    let line = from.line;
    let Some(flag) = from.flags.iter().find(|f| f.name == "platform") else {
        return Ok(None);
    };
    let written = flag.value.clone().unwrap_or_default();
    let value = expand_word(&written, escape, vars).map_err(|e| at(line, e))?;
    if value.is_empty() {
        return Err(at(
            line,
            format!("empty platform value from expression {written}"),
        ));
    }
    crate::model::Platform::parse_any(&value)
        .map(Some)
        .map_err(|e| at(line, format!("failed to parse platform {written}: {e:#}")))
}

fn parse_image(written: &str, line: usize) -> Result<ImageRef> {
    ImageRef::parse(written).map_err(|e| at(line, format!("{e:#}")))
}

/// `COPY --from=X` and `RUN --mount=...,from=X` of one instruction (origins resolved later).
fn sources_of(instruction: &Instruction, escape: char) -> Result<Vec<Source>> {
    let line = instruction.line;
    let mut out = Vec::new();
    match instruction.keyword.as_str() {
        "COPY" => {
            for flag in instruction.flags.iter().filter(|f| f.name == "from") {
                let value = flag.value.clone().unwrap_or_default();
                if value.is_empty() {
                    return Err(at(line, "missing a value on flag: --from"));
                }
                if has_expansion(&value, escape) {
                    return Err(at(
                        line,
                        "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
                    ));
                }
                out.push(Source {
                    origin: Origin::Scratch,
                    written: value,
                    kind: SiteKind::CopyFrom,
                    line,
                    span: flag.value_span.clone(),
                });
            }
        }
        "RUN" => {
            for flag in instruction.flags.iter().filter(|f| f.name == "mount") {
                let Some(from) = mount_from(flag.value.as_deref().unwrap_or_default(), line)?
                else {
                    continue;
                };
                out.push(Source {
                    origin: Origin::Scratch,
                    written: from,
                    kind: SiteKind::MountFrom,
                    line,
                    span: flag.value_span.clone(),
                });
            }
        }
        _ => {}
    }
    Ok(out)
}

/// The `from=` of a mount (CSV fields, keys in any case).
pub fn mount_from(value: &str, line: usize) -> Result<Option<String>> {
    for field in csv_fields(value) {
        if let Some((key, v)) = field.split_once('=')
            && key.trim().eq_ignore_ascii_case("from")
        {
            if let Some(i) = v.find('$')
                && i + 1 != v.len()
            {
                return Err(at(
                    line,
                    "'from' doesn't support variable expansion, define alias stage instead",
                ));
            }
            return Ok(Some(v.to_string()));
        }
    }
    Ok(None)
}

fn source_origin(
    source: &Source,
    by_name: &HashMap<String, usize>,
    count: usize,
) -> Result<Origin> {
    let written = &source.written;
    if source.kind == SiteKind::CopyFrom
        && let Ok(index) = written.parse::<usize>()
    {
        return if index < count {
            Ok(Origin::Stage(index))
        } else {
            Err(at(source.line, format!("invalid stage index {index}")))
        };
    }
    if let Some(&i) = by_name.get(&written.to_ascii_lowercase()) {
        return Ok(Origin::Stage(i));
    }
    if written == "scratch" {
        return Ok(Origin::Scratch);
    }
    Ok(Origin::Image(parse_image(written, source.line)?))
}

/// A stage that reads from itself through its sources, directly or not, is refused. A
/// depth-first walk with an explicit stack: a hostile file's depth cannot exhaust ours.
fn check_cycles(stages: &[Stage]) -> Result<()> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let deps = |i: usize| -> Vec<(usize, usize)> {
        stages[i]
            .sources
            .iter()
            .filter_map(|s| match s.origin {
                Origin::Stage(d) => Some((d, s.line)),
                _ => None,
            })
            .collect()
    };
    let mut marks = vec![Mark::New; stages.len()];
    for start in 0..stages.len() {
        if marks[start] != Mark::New {
            continue;
        }
        // (stage, its deps, the next dep to look at)
        let mut stack = vec![(start, deps(start), 0)];
        marks[start] = Mark::OnPath;
        while let Some((stage, stage_deps, next)) = stack.last_mut() {
            let Some(&(dep, line)) = stage_deps.get(*next) else {
                marks[*stage] = Mark::Done;
                stack.pop();
                continue;
            };
            *next += 1;
            match marks[dep] {
                Mark::OnPath => {
                    return Err(at(
                        line,
                        format!(
                            "circular dependency detected on stage: {}",
                            stages[start].display_name(start)
                        ),
                    ));
                }
                Mark::New => {
                    marks[dep] = Mark::OnPath;
                    let d = deps(dep);
                    stack.push((dep, d, 0));
                }
                Mark::Done => {}
            }
        }
    }
    Ok(())
}

/// The target's index: `--target` by name (any case), else the last stage.
pub fn target_index(stages: &[Stage], target: Option<&str>) -> Result<usize> {
    let Some(t) = target else {
        return Ok(stages.len() - 1);
    };
    stages
        .iter()
        .position(|s| s.name.as_deref() == Some(t.to_ascii_lowercase().as_str()))
        .ok_or_else(|| {
            let names: Vec<&str> = stages.iter().filter_map(|s| s.name.as_deref()).collect();
            invalid(format!(
                "target stage \"{t}\" could not be found (named stages: {})",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })
}

/// The stages the target reaches through its base and its sources, in file order; a source
/// that is a stage defined after the stage that reads it is refused, as BuildKit does.
pub fn reachable(stages: &[Stage], target: usize) -> Result<Vec<usize>> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![target];
    while let Some(i) = todo.pop() {
        if !seen.insert(i) {
            continue;
        }
        if let Origin::Stage(b) = stages[i].base {
            todo.push(b);
        }
        for source in &stages[i].sources {
            if let Origin::Stage(d) = source.origin {
                if d > i {
                    let message = match source.kind {
                        SiteKind::MountFrom => format!(
                            "cannot mount from stage \"{}\", stage needs to be defined before current command",
                            source.written
                        ),
                        _ => format!(
                            "cannot copy from stage \"{}\", it needs to be defined before current stage \"{}\"",
                            source.written,
                            stages[i].display_name(i)
                        ),
                    };
                    return Err(at(source.line, message));
                }
                todo.push(d);
            }
        }
    }
    Ok(seen.into_iter().collect())
}
