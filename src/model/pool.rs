//! The builders of a pool, as the config names them (`builders.NAME.kind|url|platforms|
//! capacity`): each field's value checked, and a named builder typed. The local builder
//! (`defaults.builder`, else the first usable) is the pool of one when none is named;
//! `builders.local.platforms|capacity` configure it. [`Load`] places each platform of a run
//! on a builder that builds it natively.

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

    /// Checks `value` for this field (`name` is the builder's, for the message); the local
    /// builder takes platforms and capacity only.
    pub fn check(self, name: &str, value: &str) -> Result<()> {
        let key = format!("builders.{name}.{}", self.as_str());
        if name == LOCAL && matches!(self, Field::Kind | Field::Url) {
            return Err(invalid(format!(
                "{key}: 'local' is this machine's own builder: its kind is defaults.builder (or \
                 --builder) and its URL core.builder_url; builders.local takes platforms and \
                 capacity only"
            )));
        }
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

/// A builder's name in a `builders.NAME.FIELD` key: a named builder's, or `local`.
pub fn check_key_name(name: &str) -> Result<()> {
    match name == LOCAL {
        true => Ok(()),
        false => check_name(name),
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

/// This machine's builder as `builders.local.*` configures it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalBuilder {
    /// The platforms it builds natively; empty: this machine's own.
    pub platforms: Vec<Platform>,
    /// How many runs it takes at once; None: watch's default.
    pub capacity: Option<u32>,
}

impl LocalBuilder {
    /// The local builder from its fields as the config keeps them (platforms, capacity).
    pub fn from_fields<'a>(
        fields: impl IntoIterator<Item = (&'a String, &'a String)>,
    ) -> Result<LocalBuilder> {
        let mut local = LocalBuilder::default();
        for (field, value) in fields {
            let field: Field = field.parse()?;
            field.check(LOCAL, value)?;
            match field {
                Field::Platforms => local.platforms = parse_platforms(value)?,
                Field::Capacity => local.capacity = Some(parse_capacity(field.as_str(), value)?),
                Field::Kind | Field::Url => unreachable!("check refuses them"),
            }
        }
        Ok(local)
    }

    /// The platforms it builds natively.
    pub fn natives(&self) -> Vec<Platform> {
        natives_or_this_machine(&self.platforms)
    }
}

/// `platforms`, or this machine's own when none is listed.
fn natives_or_this_machine(platforms: &[Platform]) -> Vec<Platform> {
    match platforms.is_empty() {
        true => vec![Platform::of_this_machine()],
        false => platforms.to_vec(),
    }
}

/// A named builder of the pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolBuilder {
    pub name: String,
    pub kind: BuilderKind,
    /// None: this machine.
    pub url: Option<String>,
    /// The platforms it builds natively; empty: taken to be this machine's (a pool's
    /// machines are alike unless the config says otherwise).
    pub platforms: Vec<Platform>,
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
                Field::Platforms => builder.platforms = parse_platforms(value)?,
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

    /// The platforms it builds natively.
    pub fn natives(&self) -> Vec<Platform> {
        natives_or_this_machine(&self.platforms)
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

/// One platform of a run to place: the platform, and the builder that built it last for
/// the task (its layer cache), when one did.
#[derive(Debug, Clone)]
pub struct Want<'a> {
    pub platform: &'a Platform,
    pub last: Option<Seat>,
}

/// The pool's builders and the runs each has now: which builders take the next run.
#[derive(Debug, Clone)]
pub struct Load {
    /// This machine's capacity, None when it is not in the pool.
    local: Option<u32>,
    /// What this machine builds natively.
    local_natives: Vec<Platform>,
    named: Vec<PoolBuilder>,
    /// Runs on each: this machine's first, then the named ones.
    running: Vec<u32>,
}

impl Load {
    /// A pool of the named builders and, when `local` gives its capacity, this machine's,
    /// which builds `local_natives` natively.
    pub fn new(local: Option<u32>, local_natives: Vec<Platform>, named: Vec<PoolBuilder>) -> Load {
        let running = vec![0; named.len() + 1];
        Load {
            local,
            local_natives,
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

    /// The seat of a builder as a run recorded it: a named builder of the pool by its name;
    /// anything else is this machine's.
    pub fn seat_of(&self, recorded: &str) -> Seat {
        match self.named.iter().position(|b| b.name == recorded) {
            Some(i) => Seat::Named(i),
            None => Seat::Local,
        }
    }

    /// What the builder of `seat` builds natively.
    pub fn natives(&self, seat: Seat) -> Vec<Platform> {
        match seat {
            Seat::Local => self.local_natives.clone(),
            Seat::Named(i) => self.named[i].natives(),
        }
    }

    /// Counts a run already going on `seat` (its builder may be full then).
    pub fn occupy(&mut self, seat: Seat) {
        if self.seats().any(|s| s == seat) {
            let slot = self.slot(seat);
            self.running[slot] += 1;
        }
    }

    /// Places each platform of one run, and takes one seat on each builder it uses. A
    /// platform goes to the builders that build it natively (any builder when none of the
    /// pool does: a platform that executes nothing foreign builds anywhere): the one that
    /// built it last when it has room, else one this run already uses, else the least
    /// loaded. Room is a free seat, or any with `overfill`. None, and nothing taken, when
    /// a platform finds no room.
    pub fn place(&mut self, wants: &[Want<'_>], overfill: bool) -> Option<Vec<Seat>> {
        let mut placed: Vec<Seat> = Vec::new();
        for want in wants {
            let seat = self.place_one(want, &placed, overfill)?;
            placed.push(seat);
        }
        for seat in distinct(&placed) {
            let slot = self.slot(seat);
            self.running[slot] += 1;
        }
        Some(placed)
    }

    fn place_one(&self, want: &Want<'_>, placed: &[Seat], overfill: bool) -> Option<Seat> {
        let seats: Vec<Seat> = self.seats().collect();
        let native: Vec<Seat> = seats
            .iter()
            .copied()
            .filter(|s| {
                self.natives(*s)
                    .iter()
                    .any(|n| n.builds_natively(want.platform))
            })
            .collect();
        let candidates = match native.is_empty() {
            true => seats,
            false => native,
        };
        let roomy = |s: &Seat| {
            placed.contains(s) || overfill || self.running[self.slot(*s)] < self.capacity_of(*s)
        };
        if let Some(last) = want.last.filter(|l| candidates.contains(l) && roomy(l)) {
            return Some(last);
        }
        if let Some(used) = candidates.iter().find(|s| placed.contains(s)) {
            return Some(*used);
        }
        candidates.into_iter().filter(roomy).min_by(|a, b| {
            let load = |s: Seat| self.running[self.slot(s)] as f64 / self.capacity_of(s) as f64;
            load(*a).total_cmp(&load(*b))
        })
    }

    /// A run on `seats` (as [`Load::place`] gave them) ended.
    pub fn free(&mut self, seats: &[Seat]) {
        for seat in distinct(seats) {
            let slot = self.slot(seat);
            self.running[slot] = self.running[slot].saturating_sub(1);
        }
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

/// Each seat once, in the order first met: a run counts once against each builder it uses.
fn distinct(seats: &[Seat]) -> Vec<Seat> {
    let mut once = Vec::new();
    for s in seats {
        if !once.contains(s) {
            once.push(*s);
        }
    }
    once
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
        named_for(name, capacity, None)
    }

    fn named_for(name: &str, capacity: &str, platforms: Option<&str>) -> PoolBuilder {
        let mut fields = vec![
            ("kind".to_string(), "podman".to_string()),
            ("capacity".to_string(), capacity.to_string()),
        ];
        if let Some(p) = platforms {
            fields.push(("platforms".to_string(), p.to_string()));
        }
        PoolBuilder::from_fields(name, fields.iter().map(|(k, v)| (k, v))).unwrap()
    }

    fn one(platform: &Platform, last: Option<Seat>) -> Vec<Want<'_>> {
        vec![Want { platform, last }]
    }

    #[test]
    fn a_run_goes_to_the_builder_that_built_it_last_else_the_least_loaded() {
        let here = Platform::of_this_machine();
        let local = vec![here.clone()];
        let mut load = Load::new(
            Some(1),
            local.clone(),
            vec![named("b1", "2"), named("b2", "1")],
        );
        assert_eq!(load.capacity(), 4);
        let b2 = load.seat_of("b2");
        assert_eq!(b2, Seat::Named(1));
        assert_eq!(load.place(&one(&here, Some(b2)), false), Some(vec![b2]));
        assert_eq!(load.builder(b2).unwrap().name, "b2");
        // b2 is full: the least loaded of the others (this machine's, then b1 twice).
        assert_eq!(
            load.place(&one(&here, Some(b2)), false),
            Some(vec![Seat::Local])
        );
        assert_eq!(
            load.place(&one(&here, None), false),
            Some(vec![Seat::Named(0)])
        );
        let elsewhere = load.seat_of("podman (/usr/bin/podman)");
        assert_eq!(elsewhere, Seat::Local);
        assert_eq!(
            load.place(&one(&here, Some(elsewhere)), false),
            Some(vec![Seat::Named(0)])
        );
        assert_eq!(
            load.place(&one(&here, None), false),
            None,
            "every builder is full"
        );
        assert_eq!(
            load.place(&one(&here, None), true),
            Some(vec![Seat::Local]),
            "overfilled"
        );
        load.free(&[Seat::Local]);
        load.free(&[Seat::Local]);
        assert_eq!(
            load.place(&one(&here, Some(Seat::Local)), false),
            Some(vec![Seat::Local])
        );
        // Without this machine in the pool, its runs go to the named builders.
        let mut only = Load::new(None, local, vec![named("b1", "1")]);
        assert_eq!(
            only.place(&one(&here, Some(Seat::Local)), false),
            Some(vec![Seat::Named(0)])
        );
        assert_eq!(only.place(&one(&here, None), false), None);
    }

    #[test]
    fn each_platform_goes_to_a_builder_that_builds_it_natively() {
        let amd64 = Platform::parse("linux/amd64").unwrap();
        let arm64 = Platform::parse("linux/arm64").unwrap();
        let arm = Platform::parse("linux/arm/v7").unwrap();
        let pool = vec![
            named_for("arm1", "1", Some("linux/arm64")),
            named_for("arm2", "1", Some("linux/arm64,linux/arm/v7")),
        ];
        let mut load = Load::new(Some(1), vec![amd64.clone()], pool);
        let both = |last: Option<Seat>| {
            vec![
                Want {
                    platform: &amd64,
                    last: None,
                },
                Want {
                    platform: &arm64,
                    last,
                },
            ]
        };
        // amd64 here, arm64 on the arm64 builder that built it last.
        let placed = load.place(&both(Some(Seat::Named(1))), false).unwrap();
        assert_eq!(placed, [Seat::Local, Seat::Named(1)]);
        // arm1 is the one left for arm64; this machine is full, and amd64 has no other.
        assert_eq!(load.place(&both(None), false), None, "nothing taken");
        let placed = load.place(
            &[Want {
                platform: &arm64,
                last: Some(Seat::Named(1)),
            }],
            false,
        );
        assert_eq!(placed, Some(vec![Seat::Named(0)]));
        load.free(&[Seat::Local, Seat::Named(1)]);
        load.free(&[Seat::Named(0)]);
        // A platform none of the pool builds natively goes where the run already is; one
        // builder built for two platforms of a run holds one seat.
        let i386 = Platform::parse("linux/386").unwrap();
        let placed = load
            .place(
                &[
                    Want {
                        platform: &arm,
                        last: None,
                    },
                    Want {
                        platform: &i386,
                        last: None,
                    },
                ],
                false,
            )
            .unwrap();
        assert_eq!(placed, [Seat::Named(1), Seat::Named(1)]);
        assert_eq!(
            load.place(
                &[Want {
                    platform: &arm,
                    last: None
                }],
                false
            ),
            None
        );
        load.free(&placed);
        assert!(
            load.place(
                &[Want {
                    platform: &arm,
                    last: None
                }],
                false
            )
            .is_some()
        );
    }

    #[test]
    fn the_local_builder_takes_platforms_and_capacity_only() {
        let fields = [
            ("platforms".to_string(), "linux/arm64".to_string()),
            ("capacity".to_string(), "3".to_string()),
        ];
        let local = LocalBuilder::from_fields(fields.iter().map(|(k, v)| (k, v))).unwrap();
        assert_eq!(local.capacity, Some(3));
        assert_eq!(local.natives(), [Platform::parse("linux/arm64").unwrap()]);
        assert_eq!(
            LocalBuilder::default().natives(),
            [Platform::of_this_machine()]
        );
        for (field, value, named) in [
            (Field::Kind, "docker", "defaults.builder"),
            (Field::Url, "tcp://h:1", "core.builder_url"),
            (Field::Capacity, "0", "1 or more"),
        ] {
            let e = format!("{:#}", field.check(LOCAL, value).unwrap_err());
            assert!(e.contains(named) && e.contains("builders.local."), "{e}");
        }
        assert!(check_key_name("local").is_ok() && check_name("local").is_err());
    }

    #[test]
    fn runs_going_elsewhere_count_against_their_builders() {
        let here = Platform::of_this_machine();
        let natives = vec![here.clone()];
        let mut load = Load::new(
            Some(1),
            natives.clone(),
            vec![named("b1", "1"), named("b2", "2")],
        );
        load.occupy(load.seat_of("buildah (/usr/bin/buildah)"));
        load.occupy(load.seat_of("b2"));
        // This machine full, b2 half: b1 takes it; then b2, with a seat left.
        assert_eq!(
            load.place(&one(&here, None), false),
            Some(vec![Seat::Named(0)])
        );
        assert_eq!(
            load.place(&one(&here, None), false),
            Some(vec![Seat::Named(1)])
        );
        assert_eq!(load.place(&one(&here, None), false), None);
        // Without this machine in the pool, a run recorded on it counts against nothing.
        let mut only = Load::new(None, natives, vec![named("b1", "1")]);
        only.occupy(only.seat_of("buildah (/usr/bin/buildah)"));
        assert_eq!(
            only.place(&one(&here, None), false),
            Some(vec![Seat::Named(0)])
        );
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
