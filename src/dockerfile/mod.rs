//! The base image dependencies of a Dockerfile: what a run records and `acrt scan` prints.
//!
//! Build args are the starting variables; a global `ARG name=value` sets a name only when it
//! is not set yet. `FROM` resolves stage names transitively; `--target` stops at that stage.
//! The runtime dependency is the origin of the final (or target) stage; buildtime ones are the
//! other external origins, plus images named by `COPY --from` and `RUN --mount=from=`.

mod expand;

use parse_dockerfile::{Flag, Instruction};

use crate::error::{Result, invalid};
use crate::model::image::ImageRef;

pub use expand::expand;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependencyType {
    RunTime,
    BuildTime,
}

impl DependencyType {
    pub fn as_str(self) -> &'static str {
        match self {
            DependencyType::RunTime => "RunTime",
            DependencyType::BuildTime => "BuildTime",
        }
    }
}

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

/// Scans `text`. `build_args` are NAME=VALUE pairs given to the build.
pub fn scan(
    text: &str,
    build_args: &[(String, String)],
    target: Option<&str>,
) -> Result<Vec<BaseImage>> {
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
        let name = from.as_.as_ref().map(|(_, n)| n.value.to_ascii_lowercase());
        let index = stages.list.len();
        stages.push(StageInfo {
            name: name.clone(),
            origin,
        });
        for instruction in stage.instructions {
            for source in stage_sources(instruction) {
                let source = expand(&source, &vars);
                let line = line_of(instruction_start(instruction));
                if let Origin::External(i) =
                    resolve_origin(&source, &stages, line, &mut add_external)?
                {
                    extra_buildtime.push(i);
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
    Ok(out)
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

/// Images or stages an instruction reads from: `COPY --from=X`, `RUN --mount=...,from=X`.
fn stage_sources(instruction: &Instruction<'_>) -> Vec<String> {
    let flag_value = |f: &Flag<'_>| f.value.as_ref().map(|v| v.value.to_string());
    match instruction {
        Instruction::Copy(c) => c
            .options
            .iter()
            .filter(|f| f.name.value == "from")
            .filter_map(flag_value)
            .collect(),
        Instruction::Add(_) => Vec::new(),
        Instruction::Run(r) => r
            .options
            .iter()
            .filter(|f| f.name.value == "mount")
            .filter_map(flag_value)
            .filter_map(|mount| {
                mount
                    .split(',')
                    .find_map(|kv| kv.trim().strip_prefix("from=").map(str::to_string))
            })
            .collect(),
        _ => Vec::new(),
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
