//! The builders of a pool, as the config names them (`builders.NAME.kind|url|platforms|
//! capacity`): each field's value checked, and a named builder typed. The local builder
//! (`defaults.builder`, else the first usable) is the pool of one when none is named.

use serde::{Deserialize, Serialize};
use std::str::FromStr;

use super::{BuilderKind, Platform};
use crate::error::{Result, invalid};

/// The name the local builder goes by in `acrt builder list`.
pub const LOCAL: &str = "local";

/// One field of a named builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// buildah, podman or docker.
    Kind,
    /// Where it builds: a podman service or a docker host (tcp://, ssh://, unix://); local
    /// when absent.
    Url,
    /// The platforms it builds natively, comma-separated.
    Platforms,
    /// How many runs it takes at once.
    Capacity,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Kind, Field::Url, Field::Platforms, Field::Capacity];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Url => "url",
            Field::Platforms => "platforms",
            Field::Capacity => "capacity",
        }
    }

    /// Checks `value` for this field (`name` is the builder's, for the message).
    pub fn check(self, name: &str, value: &str) -> Result<()> {
        let key = format!("builders.{name}.{}", self.as_str());
        match self {
            Field::Kind => value.parse::<BuilderKind>().map(drop),
            Field::Url => check_url(&key, value),
            Field::Platforms => parse_platforms(value).map(drop),
            Field::Capacity => parse_capacity(&key, value).map(drop),
        }
        .map_err(|e| invalid(format!("{key}: {e:#}")))
    }
}

impl FromStr for Field {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> Result<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| {
                invalid(format!(
                    "unknown builder field '{text}': use kind, url, platforms or capacity"
                ))
            })
    }
}

/// A builder's name: letters, digits, `-` and `_`, and not the local builder's.
pub fn check_name(name: &str) -> Result<()> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(invalid(format!(
            "'{name}' is not a builder name: use letters, digits, '-' and '_' (e.g. builders.build1.kind=podman)"
        )));
    }
    if name == LOCAL {
        return Err(invalid(
            "'local' is this machine's own builder (defaults.builder): give a named builder another name",
        ));
    }
    Ok(())
}

fn check_url(key: &str, url: &str) -> Result<()> {
    let known = ["tcp://", "ssh://", "unix://"];
    if known
        .iter()
        .any(|s| url.starts_with(s) && url.len() > s.len())
    {
        return Ok(());
    }
    Err(invalid(format!(
        "'{url}' is not a builder URL: use tcp://HOST:PORT, ssh://USER@HOST[/SOCKET] or unix:///PATH \
         (leave {key} unset for this machine)"
    )))
}

fn parse_platforms(value: &str) -> Result<Vec<Platform>> {
    value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(Platform::parse)
        .collect()
}

fn parse_capacity(key: &str, value: &str) -> Result<u32> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|c| *c > 0)
        .ok_or_else(|| {
            invalid(format!(
                "'{value}' is not a capacity: {key} is how many runs it takes at once (1 or more)"
            ))
        })
}

/// A named builder of the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolBuilder {
    pub name: String,
    pub kind: BuilderKind,
    /// None: this machine.
    pub url: Option<String>,
    /// Empty: the platform of the machine it runs on.
    pub platforms: Vec<String>,
    pub capacity: u32,
}

impl PoolBuilder {
    /// The builder `name` from its fields as the config keeps them; `kind` is required, the
    /// capacity is 1 unless set.
    pub fn from_fields<'a>(
        name: &str,
        fields: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Result<PoolBuilder> {
        let mut builder = PoolBuilder {
            name: name.to_string(),
            kind: BuilderKind::Buildah,
            url: None,
            platforms: Vec::new(),
            capacity: 1,
        };
        let mut kind = None;
        for (field, value) in fields {
            let field: Field = field.parse()?;
            field.check(name, value)?;
            match field {
                Field::Kind => kind = Some(value.parse()?),
                Field::Url => builder.url = Some(value.clone()),
                Field::Platforms => {
                    builder.platforms = parse_platforms(value)?
                        .iter()
                        .map(Platform::to_string)
                        .collect();
                }
                Field::Capacity => builder.capacity = parse_capacity(field.as_str(), value)?,
            }
        }
        builder.kind = kind.ok_or_else(|| {
            invalid(format!(
                "the builder '{name}' has no kind: set builders.{name}.kind to buildah, podman or docker"
            ))
        })?;
        if builder.kind == BuilderKind::Buildah && builder.url.is_some() {
            return Err(invalid(format!(
                "builders.{name}.url: buildah builds on this machine only; use kind podman (a podman \
                 service) or docker (a docker host) for a builder elsewhere"
            )));
        }
        Ok(builder)
    }
}

/// What `--builder`, ACRT_BUILDER and `defaults.builder` name: a kind of builder on this
/// machine, or a named builder of the pool (`builders.NAME.*`), which the config must name
/// when a run starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuilderChoice {
    Kind(BuilderKind),
    Named(String),
}

impl FromStr for BuilderChoice {
    type Err = anyhow::Error;

    /// A kind in any case, else a builder's name; anything else names both choices.
    fn from_str(text: &str) -> Result<BuilderChoice> {
        if let Ok(kind) = text.parse::<BuilderKind>() {
            return Ok(BuilderChoice::Kind(kind));
        }
        let name = text.trim();
        if check_name(name).is_ok() {
            return Ok(BuilderChoice::Named(name.to_string()));
        }
        Err(invalid(format!(
            "unknown builder '{text}': use one of {}, or the name of a builder of the pool \
             ('acrt builder list')",
            BuilderKind::names()
        )))
    }
}

impl BuilderChoice {
    /// The kind it names; None for a named builder.
    pub fn kind(&self) -> Option<BuilderKind> {
        match self {
            BuilderChoice::Kind(kind) => Some(*kind),
            BuilderChoice::Named(_) => None,
        }
    }

    /// The named builder of `pool` it names (None for a kind); a name the pool does not
    /// have is an error listing the kinds and the pool's names.
    pub fn pool_builder<'a>(&self, pool: &'a [PoolBuilder]) -> Result<Option<&'a PoolBuilder>> {
        let BuilderChoice::Named(name) = self else {
            return Ok(None);
        };
        if let Some(found) = pool.iter().find(|b| &b.name == name) {
            return Ok(Some(found));
        }
        let named: Vec<&str> = pool.iter().map(|b| b.name.as_str()).collect();
        let named = match named.is_empty() {
            true => "none is named in the config".to_string(),
            false => format!("the pool's are {}", named.join(", ")),
        };
        Err(invalid(format!(
            "unknown builder '{name}': use one of {} or a builder of the pool ({named}); name \
             one with 'acrt config set builders.{name}.kind=podman'",
            BuilderKind::names()
        )))
    }
}

/// Where a run of the pool goes: this machine's builder, or a named one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Seat {
    Local,
    /// The index of a named builder in [`Load`]'s list.
    Named(usize),
}

/// The pool's builders and the runs each has now: which builder takes the next run.
#[derive(Debug, Clone)]
pub struct Load {
    /// This machine's capacity, None when it is not in the pool.
    local: Option<u32>,
    named: Vec<PoolBuilder>,
    /// Runs on each: this machine's first, then the named ones.
    running: Vec<u32>,
}

impl Load {
    /// A pool of the named builders and, when `local` gives its capacity, this machine's.
    pub fn new(local: Option<u32>, named: Vec<PoolBuilder>) -> Load {
        let running = vec![0; named.len() + 1];
        Load {
            local,
            named,
            running,
        }
    }

    /// The named builders.
    pub fn named(&self) -> &[PoolBuilder] {
        &self.named
    }

    /// This machine's capacity, None when it is not in the pool.
    pub fn local(&self) -> Option<u32> {
        self.local
    }

    /// Keeps the named builders `keep` accepts (before any seat is taken: seats name them
    /// by their place).
    pub fn retain_named(&mut self, keep: impl FnMut(&PoolBuilder) -> bool) {
        self.named.retain(keep);
        self.running = vec![0; self.named.len() + 1];
    }

    /// Runs at once, all builders together.
    pub fn capacity(&self) -> usize {
        let named: u32 = self.named.iter().map(|b| b.capacity).sum();
        (named + self.local.unwrap_or(0)) as usize
    }

    /// The named builder a seat is (None: this machine's).
    pub fn builder(&self, seat: Seat) -> Option<&PoolBuilder> {
        match seat {
            Seat::Local => None,
            Seat::Named(i) => self.named.get(i),
        }
    }

    /// A free seat for a run, taken: on `last` (the builder that built the task last, by
    /// its recorded name; anything else is this machine's) if it has one, else on the least
    /// loaded builder. None when every builder is full.
    pub fn take(&mut self, last: Option<&str>) -> Option<Seat> {
        let seats: Vec<Seat> = self.seats().collect();
        let preferred = last.map_or(Seat::Local, |name| self.seat_of(name));
        let free = |s: &Seat| self.running[self.slot(*s)] < self.capacity_of(*s);
        let seat = match last.is_some() && seats.contains(&preferred) && free(&preferred) {
            true => Some(preferred),
            false => seats.iter().copied().filter(free).min_by(|a, b| {
                let load = |s: Seat| self.running[self.slot(s)] as f64 / self.capacity_of(s) as f64;
                load(*a).total_cmp(&load(*b))
            }),
        }?;
        let slot = self.slot(seat);
        self.running[slot] += 1;
        Some(seat)
    }

    /// Counts a run going on the builder it `recorded` (a name of the pool; anything else is
    /// this machine's), whether or not that builder has a free seat.
    pub fn count(&mut self, recorded: &str) {
        let seat = self.seat_of(recorded);
        if self.seats().any(|s| s == seat) {
            let slot = self.slot(seat);
            self.running[slot] += 1;
        }
    }

    /// The seat a run's recorded builder is: a named builder's by its name, else this
    /// machine's.
    fn seat_of(&self, recorded: &str) -> Seat {
        match self.named.iter().position(|b| b.name == recorded) {
            Some(i) => Seat::Named(i),
            None => Seat::Local,
        }
    }

    /// A run on `seat` ended.
    pub fn free(&mut self, seat: Seat) {
        let slot = self.slot(seat);
        self.running[slot] = self.running[slot].saturating_sub(1);
    }

    fn seats(&self) -> impl Iterator<Item = Seat> + '_ {
        let local = self.local.map(|_| Seat::Local);
        local
            .into_iter()
            .chain((0..self.named.len()).map(Seat::Named))
    }

    fn slot(&self, seat: Seat) -> usize {
        match seat {
            Seat::Local => 0,
            Seat::Named(i) => i + 1,
        }
    }

    fn capacity_of(&self, seat: Seat) -> u32 {
        match seat {
            Seat::Local => self.local.unwrap_or(0),
            Seat::Named(i) => self.named[i].capacity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_and_a_builder_needs_a_kind() {
        assert!(Field::Kind.check("b1", "podman").is_ok());
        assert!(Field::Url.check("b1", "tcp://10.0.0.2:8888").is_ok());
        assert!(
            Field::Platforms
                .check("b1", "linux/amd64, linux/arm64")
                .is_ok()
        );
        for (field, value, named) in [
            (Field::Kind, "kaniko", "unknown builder"),
            (Field::Url, "http://x", "not a builder URL"),
            (Field::Platforms, "linux/sparc", "unknown architecture"),
            (Field::Capacity, "0", "1 or more"),
        ] {
            let e = format!("{:#}", field.check("b1", value).unwrap_err());
            assert!(e.contains(named) && e.contains("builders.b1."), "{e}");
        }
        assert!(check_name("build-1").is_ok());
        assert!(check_name("local").is_err() && check_name("a.b").is_err());
        let fields = [("url".to_string(), "tcp://h:1".to_string())];
        let e = PoolBuilder::from_fields("b1", fields.iter().map(|(k, v)| (k, v))).unwrap_err();
        assert!(format!("{e:#}").contains("builders.b1.kind"), "{e:#}");
        let fields = [
            ("kind".to_string(), "docker".to_string()),
            ("capacity".to_string(), "3".to_string()),
        ];
        let b = PoolBuilder::from_fields("b1", fields.iter().map(|(k, v)| (k, v))).unwrap();
        assert_eq!((b.kind, b.capacity, b.url), (BuilderKind::Docker, 3, None));
    }

    fn named(name: &str, capacity: &str) -> PoolBuilder {
        let fields = [
            ("kind".to_string(), "podman".to_string()),
            ("capacity".to_string(), capacity.to_string()),
        ];
        PoolBuilder::from_fields(name, fields.iter().map(|(k, v)| (k, v))).unwrap()
    }

    #[test]
    fn a_run_goes_to_the_builder_that_built_it_last_else_the_least_loaded() {
        let mut load = Load::new(Some(1), vec![named("b1", "2"), named("b2", "1")]);
        assert_eq!(load.capacity(), 4);
        assert_eq!(load.take(Some("b2")), Some(Seat::Named(1)));
        assert_eq!(load.builder(Seat::Named(1)).unwrap().name, "b2");
        // b2 is full: the least loaded of the others (this machine's, then b1 twice).
        assert_eq!(load.take(Some("b2")), Some(Seat::Local));
        assert_eq!(load.take(None), Some(Seat::Named(0)));
        assert_eq!(
            load.take(Some("podman (/usr/bin/podman)")),
            Some(Seat::Named(0))
        );
        assert_eq!(load.take(None), None, "every builder is full");
        load.free(Seat::Local);
        assert_eq!(
            load.take(Some("buildah (/usr/bin/buildah)")),
            Some(Seat::Local)
        );
        // Without this machine in the pool, its runs go to the named builders.
        let mut only = Load::new(None, vec![named("b1", "1")]);
        assert_eq!(
            only.take(Some("buildah (/usr/bin/buildah)")),
            Some(Seat::Named(0))
        );
        assert_eq!(only.take(None), None);
    }

    #[test]
    fn runs_going_elsewhere_count_against_their_builders() {
        let mut load = Load::new(Some(1), vec![named("b1", "1"), named("b2", "2")]);
        load.count("buildah (/usr/bin/buildah)");
        load.count("b2");
        // This machine full, b2 half: b1 takes it; then b2, with a seat left.
        assert_eq!(load.take(None), Some(Seat::Named(0)));
        assert_eq!(load.take(None), Some(Seat::Named(1)));
        assert_eq!(load.take(None), None);
        // Without this machine in the pool, a run recorded on it counts against nothing.
        let mut only = Load::new(None, vec![named("b1", "1")]);
        only.count("buildah (/usr/bin/buildah)");
        assert_eq!(only.take(None), Some(Seat::Named(0)));
    }

    #[test]
    fn a_choice_is_a_kind_or_a_builder_of_the_pool() {
        let choice = |s: &str| s.parse::<BuilderChoice>();
        assert_eq!(
            choice("Podman").unwrap(),
            BuilderChoice::Kind(BuilderKind::Podman)
        );
        let named = choice("b1").unwrap();
        assert_eq!(named, BuilderChoice::Named("b1".into()));
        let e = format!("{:#}", choice("a b").unwrap_err());
        assert!(
            e.contains("buildah, docker, podman") && e.contains("pool"),
            "{e}"
        );
        let fields = [("kind".to_string(), "podman".to_string())];
        let pool = [PoolBuilder::from_fields("b1", fields.iter().map(|(k, v)| (k, v))).unwrap()];
        assert_eq!(named.pool_builder(&pool).unwrap().unwrap().name, "b1");
        assert!(
            choice("docker")
                .unwrap()
                .pool_builder(&pool)
                .unwrap()
                .is_none()
        );
        let e = format!(
            "{:#}",
            choice("b2").unwrap().pool_builder(&pool).unwrap_err()
        );
        assert!(
            e.contains("unknown builder 'b2'")
                && e.contains("buildah, docker, podman")
                && e.contains("b1"),
            "{e}"
        );
    }
}
