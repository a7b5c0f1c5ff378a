//! The builders one run builds on: the run's own, chosen when it starts, and each other one a
//! platform of the run goes to. A platform the command that queued the run placed (its
//! spec's `platform_builders`) builds there; one only a task file's step names builds on the
//! run's builder where that can build it, else on a builder of the run's pool that builds it
//! natively. Each other builder is reached (asked whether it answers) the first time a
//! platform needs it, and shared by every build of the run from then on, side by side.

use std::ops::Deref;
use std::sync::{Arc, Mutex};

use super::outcome::{Outcome, Stop, failure};
use super::pipeline;
use super::spec::{PlatformBuilder, RunSpec};
use crate::builder::Builder;
use crate::dockerfile::Scan;
use crate::error::Result;
use crate::model::Platform;

/// Where `platform` builds, its stages as `scan` found them; refused before anything is
/// built when that builder cannot execute them (the error names the fix).
pub(super) fn place(spec: &RunSpec, platform: &Platform, scan: &Scan) -> Result<PlatformBuilder> {
    // One of the run's platforms builds where it was placed (or, in a spec stored before
    // platforms were placed, on the run's builder).
    let own = spec.platforms().iter().any(|p| p == platform);
    let on = spec.builder_of(platform);
    match pipeline::check_buildable(platform, scan, &on.builds_on()) {
        Ok(()) => Ok(on),
        Err(refused) if own => Err(refused),
        Err(refused) => native_in_pool(spec, platform, &on).ok_or(refused),
    }
}

/// The first builder of the run's pool, other than the run's, that builds `platform`
/// natively: a named one, else this machine's.
fn native_in_pool(
    spec: &RunSpec,
    platform: &Platform,
    run_s: &PlatformBuilder,
) -> Option<PlatformBuilder> {
    let pool = spec.pool.as_ref()?;
    let builds = |natives: &[Platform]| natives.iter().any(|n| n.builds_natively(platform));
    let named = pool
        .named
        .iter()
        .filter(|b| builds(&b.natives()))
        .map(|b| PlatformBuilder::on(platform, Some(b), (None, None), b.natives()));
    let local =
        pool.local.iter().filter(|l| builds(&l.natives)).map(|l| {
            PlatformBuilder::on(platform, None, (l.kind, l.url.clone()), l.natives.clone())
        });
    named.chain(local).find(|b| !b.same_builder(run_s))
}

/// A builder of the run: its own (borrowed) or another one it reached.
pub(crate) enum Reached<'a> {
    Run(&'a dyn Builder),
    Other(Arc<dyn Builder>),
}

impl<'a> Deref for Reached<'a> {
    type Target = dyn Builder + 'a;

    fn deref(&self) -> &Self::Target {
        match self {
            Reached::Run(builder) => *builder,
            Reached::Other(builder) => builder.as_ref(),
        }
    }
}

/// The run's builder and each other one reached so far.
pub(crate) struct RunBuilders<'a> {
    spec: &'a RunSpec,
    run: &'a dyn Builder,
    reached: Mutex<Vec<(PlatformBuilder, Arc<dyn Builder>)>>,
}

impl<'a> RunBuilders<'a> {
    pub(crate) fn new(spec: &'a RunSpec, run: &'a dyn Builder) -> RunBuilders<'a> {
        RunBuilders {
            spec,
            run,
            reached: Mutex::new(Vec::new()),
        }
    }

    /// The run's own builder.
    pub(crate) fn run(&self) -> &'a dyn Builder {
        self.run
    }

    /// Where `platform` builds (see [`place`]).
    pub(crate) fn place(&self, platform: &Platform, scan: &Scan) -> Result<PlatformBuilder> {
        place(self.spec, platform, scan)
    }

    /// Whether `on` is the run's own builder, which keeps what it builds for later steps.
    pub(crate) fn is_run_s(&self, on: &PlatformBuilder) -> bool {
        on.same_builder(&self.spec.builder_of(&self.spec.platform))
    }

    /// The builder `on` names, and the name the run records it by.
    pub(crate) async fn reach(&self, on: &PlatformBuilder) -> Outcome<(Reached<'a>, String)> {
        if self.is_run_s(on) {
            let name = on.name.clone().unwrap_or_else(|| self.run.describe());
            return Ok((Reached::Run(self.run), name));
        }
        let builder = match self.reached_before(on) {
            Some(builder) => builder,
            None => {
                let builder = super::choose_builder_at(on.kind, on.url.clone(), on.name.is_some())
                    .await
                    .map_err(|stop| match stop {
                        Stop::Failed(e) => failure(format!(
                            "the builder of {}, {}: {e:#}",
                            on.platform,
                            on.name.as_deref().unwrap_or("this machine's")
                        )),
                        other => other,
                    })?;
                self.keep(on, Arc::from(builder))
            }
        };
        let name = on.name.clone().unwrap_or_else(|| builder.describe());
        Ok((Reached::Other(builder), name))
    }

    fn reached_before(&self, on: &PlatformBuilder) -> Option<Arc<dyn Builder>> {
        let reached = self.reached.lock().unwrap_or_else(|e| e.into_inner());
        reached
            .iter()
            .find(|(b, _)| b.same_builder(on))
            .map(|(_, builder)| builder.clone())
    }

    /// Keeps `builder` for `on`; a build that reached the same builder meanwhile keeps
    /// the one reached first.
    fn keep(&self, on: &PlatformBuilder, builder: Arc<dyn Builder>) -> Arc<dyn Builder> {
        let mut reached = self.reached.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, first)) = reached.iter().find(|(b, _)| b.same_builder(on)) {
            return first.clone();
        }
        reached.push((on.clone(), builder.clone()));
        builder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::spec::{PoolLocal, RunPool};
    use crate::model::BuilderKind;
    use crate::model::pool::PoolBuilder;
    use crate::model::status::RunType;

    fn arm64() -> Platform {
        Platform::parse("linux/arm64").unwrap()
    }

    fn amd64() -> Platform {
        Platform::parse("linux/amd64").unwrap()
    }

    /// A stage that runs a command for the target platform.
    fn running(platform: &Platform) -> Scan {
        pipeline::scan("FROM scratch\nRUN true\n", &[], None, platform).unwrap()
    }

    fn podman(name: &str, platforms: &str) -> PoolBuilder {
        let fields = [
            ("kind".to_string(), "podman".to_string()),
            ("url".to_string(), format!("tcp://127.0.0.1:1/{name}")),
            ("platforms".to_string(), platforms.to_string()),
        ];
        PoolBuilder::from_fields(name, fields.iter().map(|(k, v)| (k, v))).unwrap()
    }

    /// A run on this machine's buildah (amd64) with `pool`.
    fn spec_with(pool: Option<RunPool>) -> RunSpec {
        let mut spec = RunSpec::new("r.example", RunType::QuickRun, None, amd64(), 60);
        spec.build_here(&PoolLocal {
            kind: Some(BuilderKind::Buildah),
            url: None,
            capacity: 1,
            natives: vec![amd64()],
        });
        spec.pool = pool;
        spec
    }

    #[test]
    fn a_step_s_foreign_run_goes_to_a_builder_of_the_pool_that_builds_it_natively() {
        let pool = RunPool {
            local: None,
            named: vec![podman("x86", "linux/386"), podman("arm", "linux/arm64")],
        };
        let spec = spec_with(Some(pool));
        let on = place(&spec, &arm64(), &running(&arm64())).unwrap();
        assert_eq!(on.name.as_deref(), Some("arm"));
        assert_eq!(on.platform, arm64());
        // Nothing of arm64 executes: it stays on the run's builder.
        let copying = pipeline::scan("FROM scratch\nCOPY a /\n", &[], None, &arm64()).unwrap();
        assert_eq!(place(&spec, &arm64(), &copying).unwrap().name, None);
        // The run's own platform stays where it was placed.
        assert_eq!(
            place(&spec, &amd64(), &running(&amd64())).unwrap().name,
            None
        );
    }

    #[test]
    fn a_foreign_run_with_no_native_builder_in_the_pool_is_refused_naming_the_fix() {
        if std::path::Path::new("/proc/sys/fs/binfmt_misc/qemu-aarch64").exists() {
            return;
        }
        for pool in [None, Some(RunPool::default())] {
            let e = place(&spec_with(pool), &arm64(), &running(&arm64())).unwrap_err();
            assert!(
                format!("{e:#}").contains("builders.NAME.platforms=linux/arm64"),
                "{e:#}"
            );
        }
    }

    #[test]
    fn a_platform_the_spec_placed_builds_there_and_is_checked_there() {
        let mut spec = spec_with(Some(RunPool {
            local: None,
            named: vec![podman("arm", "linux/arm64")],
        }));
        spec.set_platforms(crate::model::Platforms::parse("linux/amd64,linux/arm64").unwrap());
        let arm = podman("arm", "linux/arm64");
        spec.place(vec![
            spec.builder_of(&amd64()),
            PlatformBuilder::on(&arm64(), Some(&arm), (None, None), arm.natives()),
        ]);
        let on = place(&spec, &arm64(), &Scan::default()).unwrap();
        assert_eq!(on.name.as_deref(), Some("arm"));
    }
}
