//! The base image dependencies of a Dockerfile, exactly as BuildKit resolves them: what a
//! run records, what `acrt scan` prints, and where a pinned build rewrites them.
//!
//! `parser` reads the grammar (directives, continuations, here-documents, flags), `lexer`
//! expands words as BuildKit's shell lexer does, `stages` resolves stages, ARGs and what the
//! target reaches. The runtime dependency is the root of the target stage's FROM chain;
//! buildtime ones are the other images the target reaches (stage bases, `COPY --from`,
//! `RUN --mount=from=`). Stages the target does not reach are not built, so their images
//! are not bases.

mod lexer;
mod parser;
mod stages;
mod words;

use crate::error::{Result, invalid};
use crate::model::Platform;
use crate::model::image::ImageRef;
pub use crate::model::status::DependencyType;

use stages::Origin;

/// One base image: `image` is None for `scratch`, which is no real image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseImage {
    pub dependency_type: DependencyType,
    pub image: Option<ImageRef>,
    /// The 1-based line of the instruction that names it.
    pub line: usize,
    /// The platform its stage is built for (`FROM --platform=...`, e.g. `$BUILDPLATFORM` for
    /// a cross-compiling stage); None: the build's own.
    pub platform: Option<Platform>,
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
    /// Where the stages built execute commands (RUN), one per platform (the first such
    /// stage's): what needs the builder to run that platform's binaries. A COPY-only build
    /// needs none.
    pub run_platforms: Vec<RunSite>,
}

/// A stage that runs commands, on its platform (None: the build's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSite {
    pub platform: Option<Platform>,
    /// The stage's name, or its number (from 0) when it has none.
    pub stage: String,
    /// The line of its first RUN.
    pub line: usize,
}

/// What a scan depends on besides the file: the build args (NAME=VALUE), the target stage,
/// and the platform the build is for (`TARGETPLATFORM` and friends).
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions<'a> {
    pub build_args: &'a [(String, String)],
    pub target: Option<&'a str>,
    pub platform: &'a Platform,
}

/// Scans `text`.
pub fn scan(text: &str, opts: &ScanOptions<'_>) -> Result<Vec<BaseImage>> {
    scan_sites(text, opts).map(|s| s.bases)
}

/// Like [`scan`], with the places that name each image (what a pinned build rewrites).
pub fn scan_sites(text: &str, opts: &ScanOptions<'_>) -> Result<Scan> {
    // A UTF-8 byte order mark is not part of the first instruction (BuildKit drops it too).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = parser::parse(text).map_err(invalid)?;
    let vars = stages::global_args(&file, opts)?;
    let stages = stages::stages(&file, &vars)?;
    let target = stages::target_index(&stages, opts.target)?;
    let reached = stages::reachable(&stages, target)?;
    Ok(collect(&stages, target, &reached))
}

/// The runtime base (the root of the target's FROM chain), then the other images the
/// reached stages name, once each, in the order they appear; with every place they are named.
fn collect(all: &[stages::Stage], target: usize, reached: &[usize]) -> Scan {
    let mut root = target;
    while let Origin::Stage(b) = all[root].base {
        root = b;
    }
    let mut scan = Scan::default();
    let runtime = match &all[root].base {
        Origin::Image(image) => Some(image.clone()),
        _ => None,
    };
    scan.bases.push(BaseImage {
        dependency_type: DependencyType::RunTime,
        image: runtime.clone(),
        line: if runtime.is_some() { all[root].line } else { 0 },
        platform: all[root].platform.clone(),
    });
    let mut named: Vec<(usize, ImageRef, Option<Platform>)> = Vec::new();
    for &i in reached {
        let stage = &all[i];
        if let Some(line) = stage.first_run
            && !scan
                .run_platforms
                .iter()
                .any(|r| r.platform == stage.platform)
        {
            scan.run_platforms.push(RunSite {
                platform: stage.platform.clone(),
                stage: stage.name.clone().unwrap_or_else(|| i.to_string()),
                line,
            });
        }
        if let Origin::Image(image) = &stage.base {
            named.push((stage.line, image.clone(), stage.platform.clone()));
            if let Some(span) = &stage.base_span {
                scan.sites.push(Site {
                    span: span.clone(),
                    kind: SiteKind::From,
                    image: image.clone(),
                });
            }
        }
        for source in &stage.sources {
            if let Origin::Image(image) = &source.origin {
                named.push((source.line, image.clone(), stage.platform.clone()));
                if let Some(span) = &source.span {
                    scan.sites.push(Site {
                        span: span.clone(),
                        kind: source.kind,
                        image: image.clone(),
                    });
                }
            }
        }
    }
    named.sort_by_key(|(line, ..)| *line);
    for (line, image, platform) in named {
        let known = scan.bases.iter().any(|b| b.image.as_ref() == Some(&image));
        if !known {
            scan.bases.push(BaseImage {
                dependency_type: DependencyType::BuildTime,
                image: Some(image),
                line,
                platform,
            });
        }
    }
    scan
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
            // The mount's fields, unquoted, with from= pinned.
            SiteKind::MountFrom => words::csv_fields(&unquoted(original))
                .into_iter()
                .map(|field| match field.split_once('=') {
                    Some((key, _)) if key.trim().eq_ignore_ascii_case("from") => {
                        format!("from={reference}")
                    }
                    _ => field,
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

/// A flag value as the file has it, quotes removed (`"type=bind,from=x"` -> the fields).
fn unquoted(raw: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    for c in raw.chars() {
        match quote {
            None if c == '"' || c == '\'' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod lexer_tests;
#[cfg(test)]
mod tests;
