//! What a run is asked to do ([`RunSpec`]), stored with the run so that a detached worker
//! can execute it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::{Result, failed};
use crate::model::argument::Argument;
use crate::model::names::EnvVarName;
use crate::model::pool::{Load, PoolBuilder, Seat, Want};
use crate::model::run::{ImageUpdateTrigger, SourceTriggerDescriptor, TimerTriggerDescriptor};
use crate::model::status::RunType;
use crate::model::{Platform, Platforms, SourceDateEpoch, Task, TaskStep};
use crate::registry::{Credentials, Login};

/// Everything a run needs, stored with it so that a detached worker can execute it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunSpec {
    pub registry: String,
    pub task: Option<String>,
    pub run_type: RunType,
    /// The context as written (`/dev/null` or None for none).
    pub context: Option<String>,
    pub context_token: Option<String>,
    /// What the run does, worked out when it is queued (stored under `plan`; a spec stored
    /// by an older acrt, with flat fields, is read into it).
    #[serde(flatten, with = "stored_plan")]
    pub plan: RunPlan,
    pub images: Vec<String>,
    pub arguments: Vec<Argument>,
    pub values: Vec<Argument>,
    pub target: Option<String>,
    pub platform: Platform,
    /// Every platform when the run builds several (`platform` is the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platforms: Option<Platforms>,
    /// The task's `--platform-lockstep`: a run a base change started builds (or rebases)
    /// every platform, not only those whose base moved.
    #[serde(default)]
    pub platform_lockstep: bool,
    pub cpu: u32,
    pub no_cache: bool,
    pub push: bool,
    pub timeout: u32,
    /// Logins from `task credential add`, by server.
    pub credentials: BTreeMap<String, Login>,
    /// `--auth-mode None` (the task's, or a quick run's): the run gets no default login for
    /// its registry (the user's, from `acrt login` or docker's and podman's files); only a
    /// task's own credentials.
    #[serde(default)]
    pub no_default_login: bool,
    pub builder: Option<crate::model::BuilderKind>,
    /// A podman service to build on (`core.builder_url`); podman's CONTAINER_HOST otherwise.
    /// For a builder of the pool, its URL (a podman service or a docker host).
    #[serde(default)]
    pub builder_url: Option<String>,
    /// The builder of the pool the run builds on (its kind and URL above), recorded as the
    /// run's builder; None for this machine's.
    #[serde(default)]
    pub builder_name: Option<String>,
    /// The pool the run was given to (None: it builds where it was placed and nowhere
    /// else): where a platform only a task file's step names builds when the run's builder
    /// cannot, and where the run may be tried once more (`retry_elsewhere`).
    #[serde(default, alias = "retry_pool", skip_serializing_if = "Option::is_none")]
    pub pool: Option<RunPool>,
    /// The task's `--retry-elsewhere`: when its builder stops answering during the build,
    /// the run is tried once more on another builder of `pool`. None in a spec stored
    /// before the pool served anything else, whose pool was there for the retry only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_elsewhere: Option<bool>,
    /// Where each platform builds (the first's builder is the run's, above); empty in a spec
    /// stored before platforms were placed: every platform on the run's builder.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platform_builders: Vec<PlatformBuilder>,
    pub image_update_trigger: Option<ImageUpdateTrigger>,
    pub source_trigger: Option<SourceTriggerDescriptor>,
    pub timer_trigger: Option<TimerTriggerDescriptor>,
    /// `task run --update-trigger-token`: recorded on the run (`updateTriggerToken`).
    #[serde(default)]
    pub update_trigger_token: Option<String>,
    /// The environment variables a task file's `secrets:` may read (`env:`): the task's
    /// `--secret-env`, the run's, and `core.secret_env`. Names only.
    #[serde(default)]
    pub secret_env: Vec<EnvVarName>,
    /// This machine's default task-file aliases (`task_aliases` in the config) when the run
    /// was queued, as `core.secret_env` is taken then.
    #[serde(default)]
    pub task_aliases: BTreeMap<String, String>,
    /// The task's (or `acrt build`'s) `--source-date-epoch`: the time the images'
    /// timestamps are set to, over the context's commit time and the bases' creation times.
    #[serde(default)]
    pub source_date_epoch: Option<SourceDateEpoch>,
}

/// The pool a run was given to, as the command that queued it knew it (the builders that
/// answered then).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunPool {
    /// This machine's builder, when it is of the pool.
    pub local: Option<PoolLocal>,
    /// The named builders (the lost one among them; it is left out when the run is retried).
    pub named: Vec<PoolBuilder>,
}

impl RunPool {
    /// `load`'s builders, this machine's being of `kind` (None: the first usable) at `url`.
    pub fn of(
        load: &Load,
        kind: Option<crate::model::BuilderKind>,
        url: Option<String>,
    ) -> RunPool {
        RunPool {
            local: load.local().map(|capacity| PoolLocal {
                kind,
                url,
                capacity,
                natives: load.natives(Seat::Local),
            }),
            named: load.named().to_vec(),
        }
    }
}

/// This machine's builder as a run's spec names it: a kind (None: the first usable), the
/// podman service it builds on (`core.builder_url`), how many runs it takes at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolLocal {
    pub kind: Option<crate::model::BuilderKind>,
    pub url: Option<String>,
    pub capacity: u32,
    /// The platforms it builds natively.
    #[serde(default)]
    pub natives: Vec<Platform>,
}

/// Which builder each platform of a run goes to first, where it builds the platform
/// natively and has room.
#[derive(Debug, Clone, Copy)]
pub enum Prefer<'a> {
    /// The one that built the platform in the task's last run (its layer cache).
    LastRun(Option<&'a crate::model::run::Run>),
    /// This machine's (a kind was named).
    ThisMachine,
}

/// Where one platform of a run builds, worked out when the run is queued: a builder of the
/// pool (its kind and URL) or this machine's, and what that builder builds natively.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformBuilder {
    pub platform: Platform,
    pub kind: Option<crate::model::BuilderKind>,
    pub url: Option<String>,
    /// The builder of the pool, by its name; None: this machine's.
    pub name: Option<String>,
    /// The platforms that builder builds natively (`builders.NAME.platforms`).
    pub natives: Vec<Platform>,
}

impl PlatformBuilder {
    /// `platform` on `named` of the pool, else on this machine's builder (`local`: its kind
    /// and URL), which builds `natives` natively.
    pub fn on(
        platform: &Platform,
        named: Option<&PoolBuilder>,
        local: (Option<crate::model::BuilderKind>, Option<String>),
        natives: Vec<Platform>,
    ) -> PlatformBuilder {
        let (kind, url, name) = match named {
            Some(b) => (Some(b.kind), b.url.clone(), Some(b.name.clone())),
            None => (local.0, local.1, None),
        };
        PlatformBuilder {
            platform: platform.clone(),
            kind,
            url,
            name,
            natives,
        }
    }

    /// What the foreign-architecture check knows of it.
    pub fn builds_on(&self) -> crate::engine::pipeline::BuildsOn {
        crate::engine::pipeline::BuildsOn {
            natives: self.natives.clone(),
            name: self.name.clone(),
        }
    }

    /// Whether it is the same builder as `other`.
    pub fn same_builder(&self, other: &PlatformBuilder) -> bool {
        (&self.kind, &self.url, &self.name) == (&other.kind, &other.url, &other.name)
    }
}

/// The values of a run's secrets, by name: its secret arguments and values, its logins'
/// passwords and its git token. The store never holds them: the process that queues a run
/// hands them to the one that executes it, in memory or through a worker's stdin; a run not
/// handed them (queued by watch) reads them from its task when it starts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GivenSecrets {
    arguments: BTreeMap<String, String>,
    values: BTreeMap<String, String>,
    /// Server -> password of the run's logins.
    #[serde(default)]
    passwords: BTreeMap<String, String>,
    #[serde(default)]
    context_token: Option<String>,
    /// Whether these are all of the run's secrets (else its task is read for the rest).
    #[serde(default)]
    whole: bool,
}

impl GivenSecrets {
    fn of(spec: &RunSpec) -> GivenSecrets {
        let secret = |args: &[Argument]| {
            args.iter()
                .filter(|a| a.is_secret)
                .filter_map(|a| Some((a.name.clone(), a.value.clone()?)))
                .collect()
        };
        GivenSecrets {
            arguments: secret(&spec.arguments),
            values: secret(&spec.values),
            passwords: spec
                .credentials
                .iter()
                .map(|(server, login)| (server.clone(), login.password.clone()))
                .collect(),
            context_token: spec.context_token.clone(),
            whole: true,
        }
    }

    /// Fills in each secret of `args` that has no value from `given`.
    fn fill(args: &mut [Argument], given: &BTreeMap<String, String>) {
        for a in args.iter_mut().filter(|a| a.is_secret && a.value.is_none()) {
            a.value = given.get(&a.name).cloned();
        }
    }

    /// Whether the run's task must be read for its secrets: they were not all handed over.
    pub(super) fn need_task(&self) -> bool {
        !self.whole
    }
}

/// What a run does, worked out once when it is queued and stored with it: the one place
/// that tells the kinds of run apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RunPlan {
    /// Build (and push) with the run's builder.
    Build(Build),
    /// Rebase the task's last image onto its base as served now; where that is not sound,
    /// this build instead.
    Rebase(Build),
    /// Copy `source` to the run's images: no builder, no context.
    Mirror { source: String },
}

/// A build: a Dockerfile or a task file, in the run's context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Build {
    /// The Dockerfile named `path` (relative to the context, or the user's own file), or
    /// `text` itself when it came on stdin.
    Dockerfile { path: String, text: Option<String> },
    /// A multi-step task file, with its values file (relative to the context).
    TaskFile {
        source: TaskFileSource,
        values_file: Option<String>,
    },
}

impl RunPlan {
    /// Whether the run needs a builder before it starts (a rebase chooses one only if it
    /// builds after all).
    pub fn builds_first(&self) -> bool {
        matches!(self, RunPlan::Build(_))
    }

    /// The same work as a rebase where sound (a mirror copies whatever it is asked).
    pub fn rebased(self) -> RunPlan {
        match self {
            RunPlan::Build(build) | RunPlan::Rebase(build) => RunPlan::Rebase(build),
            mirror => mirror,
        }
    }

    /// The build, whether or not a rebase is tried first.
    pub fn build_mut(&mut self) -> Option<&mut Build> {
        match self {
            RunPlan::Build(build) | RunPlan::Rebase(build) => Some(build),
            RunPlan::Mirror { .. } => None,
        }
    }
}

/// The plan as a spec stores it: `{"plan": ...}`; a spec an older acrt stored kept it in
/// flat fields (`dockerfile`, `dockerfile_text`, `task_file`, `values_file`,
/// `import_source`, `rebase`), read into the same plan.
mod stored_plan {
    use super::{Build, RunPlan, TaskFileSource};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize)]
    struct Stored<'a> {
        plan: &'a RunPlan,
    }

    #[derive(Deserialize)]
    struct Read {
        #[serde(default)]
        plan: Option<RunPlan>,
        #[serde(default)]
        dockerfile: String,
        #[serde(default)]
        dockerfile_text: Option<String>,
        #[serde(default)]
        task_file: Option<TaskFileSource>,
        #[serde(default)]
        values_file: Option<String>,
        #[serde(default)]
        import_source: Option<String>,
        #[serde(default)]
        rebase: bool,
    }

    pub fn serialize<S: Serializer>(plan: &RunPlan, serializer: S) -> Result<S::Ok, S::Error> {
        Stored { plan }.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<RunPlan, D::Error> {
        let read = Read::deserialize(deserializer)?;
        if let Some(plan) = read.plan {
            return Ok(plan);
        }
        if let Some(source) = read.import_source {
            return Ok(RunPlan::Mirror { source });
        }
        let build = match read.task_file {
            Some(source) => Build::TaskFile {
                source,
                values_file: read.values_file,
            },
            None => Build::Dockerfile {
                path: read.dockerfile,
                text: read.dockerfile_text,
            },
        };
        Ok(match read.rebase {
            true => RunPlan::Rebase(build),
            false => RunPlan::Build(build),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskFileSource {
    /// A file in the context.
    Path(String),
    /// The file's text itself (`-f -`, `--cmd`, an EncodedTask).
    Inline(String),
}

impl RunSpec {
    /// Every platform the run builds.
    pub fn platforms(&self) -> Platforms {
        Platforms::of(&self.platform, self.platforms.as_ref())
    }

    /// Sets the platforms the run builds (`platform` the first).
    pub fn set_platforms(&mut self, platforms: Platforms) {
        self.platform = platforms.first().clone();
        self.platforms = platforms.several().then_some(platforms);
    }

    /// Where the run may be tried once more when its builder stops answering during the
    /// build; None when its task does not allow it.
    pub fn retry_pool(&self) -> Option<&RunPool> {
        let allowed = self.retry_elsewhere.unwrap_or(self.pool.is_some());
        self.pool.as_ref().filter(|_| allowed)
    }

    /// Builds every platform on `builder` of the pool, where it is, and records it by its
    /// name.
    pub fn build_on(&mut self, builder: &PoolBuilder) {
        let each = self
            .platforms()
            .iter()
            .map(|p| PlatformBuilder::on(p, Some(builder), (None, None), builder.natives()))
            .collect();
        self.place(each);
    }

    /// Builds each platform where `builders` (one per platform, in order) say; the first's
    /// builder is the run's.
    pub fn place(&mut self, builders: Vec<PlatformBuilder>) {
        if let Some(first) = builders.first() {
            self.builder = first.kind;
            self.builder_url = first.url.clone();
            self.builder_name = first.name.clone();
        }
        self.platform_builders = builders;
    }

    /// Places each platform on a builder of `load` (the one `prefer` names for it when it
    /// has room, else the least loaded; see [`Load::place`]), this machine's being `local`'s
    /// kind and URL. None, and nothing placed, when a platform finds no room.
    pub fn place_on(
        &mut self,
        load: &mut Load,
        prefer: Prefer<'_>,
        overfill: bool,
        local: (Option<crate::model::BuilderKind>, Option<String>),
    ) -> Option<Vec<Seat>> {
        let platforms = self.platforms();
        let wants: Vec<Want<'_>> = platforms
            .iter()
            .map(|platform| Want {
                platform,
                last: match prefer {
                    Prefer::ThisMachine => Some(Seat::Local),
                    Prefer::LastRun(run) => run
                        .and_then(|r| r.builder_of(platform))
                        .map(|b| load.seat_of(b)),
                },
            })
            .collect();
        let seats = load.place(&wants, overfill)?;
        let builders = platforms
            .iter()
            .zip(&seats)
            .map(|(p, seat)| {
                PlatformBuilder::on(p, load.builder(*seat), local.clone(), load.natives(*seat))
            })
            .collect();
        self.place(builders);
        Some(seats)
    }

    /// Where `platform` builds: as placed, else (a spec stored before platforms were
    /// placed, a platform only a task file's step names) on the run's builder, taken to
    /// build this machine's platform natively.
    pub fn builder_of(&self, platform: &Platform) -> PlatformBuilder {
        if let Some(placed) = self
            .platform_builders
            .iter()
            .find(|b| &b.platform == platform)
        {
            return placed.clone();
        }
        let natives = match self.platform_builders.first() {
            Some(run) => run.natives.clone(),
            None => vec![Platform::of_this_machine()],
        };
        PlatformBuilder {
            platform: platform.clone(),
            kind: self.builder,
            url: self.builder_url.clone(),
            name: self.builder_name.clone(),
            natives,
        }
    }

    /// Builds on this machine's `builder`, recorded by what it is.
    pub fn build_here(&mut self, builder: &PoolLocal) {
        let each = self
            .platforms()
            .iter()
            .map(|p| {
                let local = (builder.kind, builder.url.clone());
                PlatformBuilder::on(p, None, local, builder.natives.clone())
            })
            .collect();
        self.place(each);
    }

    /// A run of nothing yet in `registry`, with az's defaults (push on, 2 CPUs, no triggers);
    /// callers set what they build.
    pub fn new(
        registry: &str,
        run_type: RunType,
        context: Option<String>,
        platform: Platform,
        timeout: u32,
    ) -> RunSpec {
        RunSpec {
            registry: registry.to_string(),
            task: None,
            run_type,
            context,
            context_token: None,
            plan: RunPlan::Build(Build::Dockerfile {
                path: String::new(),
                text: None,
            }),
            images: Vec::new(),
            arguments: Vec::new(),
            values: Vec::new(),
            target: None,
            platform,
            platforms: None,
            platform_lockstep: false,
            cpu: crate::model::task::DEFAULT_CPU,
            no_cache: false,
            push: true,
            timeout,
            credentials: BTreeMap::new(),
            no_default_login: false,
            update_trigger_token: None,
            secret_env: Vec::new(),
            task_aliases: BTreeMap::new(),
            source_date_epoch: None,
            builder: None,
            builder_url: None,
            builder_name: None,
            pool: None,
            retry_elsewhere: Some(false),
            platform_builders: Vec::new(),
            image_update_trigger: None,
            source_trigger: None,
            timer_trigger: None,
        }
    }

    /// A run of a stored task as it is defined: what `task run` starts from, and what watch runs.
    pub fn for_task(registry: &str, task: &Task) -> Result<RunSpec> {
        let credentials = task_logins(task);
        let source = task.step.source();
        let mut spec = RunSpec::new(
            registry,
            // What a trigger starts: az's service names it AutoBuild, whatever its step; a
            // run started by hand is QuickRun (the command sets it).
            RunType::AutoBuild,
            source.context_path.clone(),
            task.platform.clone(),
            task.timeout,
        );
        spec.task = Some(task.name.clone());
        spec.set_platforms(task.platforms());
        spec.platform_lockstep = task.platform_lockstep;
        spec.secret_env = task.secret_env.clone();
        spec.source_date_epoch = task.source_date_epoch;
        spec.context_token = source.context_access_token.clone();
        spec.cpu = task.agent_configuration.cpu;
        spec.credentials = credentials;
        spec.no_default_login = task
            .credentials
            .as_ref()
            .is_some_and(|c| c.source_registry.login_mode == crate::model::task::LoginMode::None);
        match &task.step {
            TaskStep::Docker(step) => {
                spec.plan = RunPlan::Build(Build::Dockerfile {
                    path: step.docker_file_path.clone(),
                    text: None,
                });
                spec.images = step.image_names.clone();
                spec.arguments = step.arguments.clone();
                spec.target = step.target.clone();
                spec.no_cache = step.no_cache;
                spec.push = step.is_push_enabled;
            }
            TaskStep::Import(step) => {
                spec.plan = RunPlan::Mirror {
                    source: step.import_source.clone(),
                };
                spec.images = step.image_names.clone();
            }
            TaskStep::FileTask(step) => {
                spec.plan = RunPlan::Build(Build::TaskFile {
                    source: TaskFileSource::Path(step.task_file_path.clone()),
                    values_file: step.values_file_path.clone(),
                });
                spec.values = step.values.clone();
            }
            TaskStep::EncodedTask(step) => {
                use base64::Engine as _;
                let b64 = base64::engine::general_purpose::STANDARD;
                let decode = |text: &str| -> Result<String> {
                    String::from_utf8(b64.decode(text.trim())?)
                        .map_err(|_| failed("the task's encoded content is not text"))
                };
                spec.plan = RunPlan::Build(Build::TaskFile {
                    source: TaskFileSource::Inline(decode(&step.encoded_task_content)?),
                    values_file: None,
                });
                if let Some(values) = &step.encoded_values_content {
                    for (k, v) in values_from_yaml(&decode(values)?)? {
                        spec.values.push(Argument {
                            name: k,
                            value: Some(v),
                            is_secret: false,
                        });
                    }
                }
                spec.values.extend(step.values.iter().cloned());
            }
        }
        Ok(spec)
    }

    /// The spec as the runs table keeps it: no registry password, no git token and no
    /// secret argument's or value's value, only its name (they would outlive a rotation and
    /// the task there); [`RunSpec::with_secrets`] fills them in when the run executes.
    pub(super) fn for_store(&self) -> RunSpec {
        let mut spec = self.clone();
        for login in spec.credentials.values_mut() {
            login.password.clear();
        }
        spec.context_token = None;
        for a in spec.arguments.iter_mut().chain(spec.values.iter_mut()) {
            if a.is_secret {
                a.value = None;
            }
        }
        spec
    }

    /// Where the run's context comes from.
    pub(super) fn context_location(&self) -> crate::model::ContextLocation {
        crate::model::ContextLocation::of_stored(self.context.as_deref())
    }

    /// The values of this spec's secret arguments and values, for [`RunSpec::with_secrets`].
    pub fn given_secrets(&self) -> GivenSecrets {
        GivenSecrets::of(self)
    }

    /// Fills in what [`RunSpec::for_store`] left out: the secrets `given`, then (for a run
    /// not handed them all) those of `task`, the run's task as it is now, with its current
    /// logins and git token. A secret left without a value fails the run, naming it.
    pub(super) fn with_secrets(
        mut self,
        task: Option<&Task>,
        given: &GivenSecrets,
    ) -> Result<RunSpec> {
        GivenSecrets::fill(&mut self.arguments, &given.arguments);
        GivenSecrets::fill(&mut self.values, &given.values);
        if given.whole {
            for (server, login) in self.credentials.iter_mut() {
                if let Some(given) = given.passwords.get(server) {
                    login.password.clone_from(given);
                }
            }
            self.context_token.clone_from(&given.context_token);
        } else if let Some(task) = task {
            self.credentials = task_logins(task);
            self.context_token = task.step.source().context_access_token.clone();
            let current = RunSpec::for_task(&self.registry, task)?.given_secrets();
            GivenSecrets::fill(&mut self.arguments, &current.arguments);
            GivenSecrets::fill(&mut self.values, &current.values);
        }
        let missing = self
            .arguments
            .iter()
            .chain(&self.values)
            .find(|a| a.is_secret && a.value.is_none());
        if let Some(a) = missing {
            return Err(failed(format!(
                "the secret '{}' has no value: it was given to the process that queued the run, \
                 which ended before handing it over, or its task no longer has it; start the run again",
                a.name
            )));
        }
        Ok(self)
    }

    pub(super) fn secrets(&self) -> Vec<String> {
        let mut s: Vec<String> = self
            .arguments
            .iter()
            .chain(&self.values)
            .filter(|a| a.is_secret)
            .filter_map(|a| a.value.clone())
            .collect();
        s.extend(self.credentials.values().map(|l| l.password.clone()));
        s.extend(self.context_token.clone());
        s
    }

    /// The images the run pushes, its `--image` names rendered with the run's variables, in
    /// the run's registry unless they name another.
    pub(super) fn target_images(
        &self,
        vars: &crate::template::TemplateContext,
    ) -> Result<Vec<crate::model::image::ImageRef>> {
        self.images
            .iter()
            .map(|name| {
                let name = crate::template::render(name, vars)?;
                crate::model::image::ImageRef::parse_in(&name, Some(&self.registry))
            })
            .collect()
    }

    pub(super) fn credentials(&self) -> Credentials {
        let start = if self.no_default_login {
            Credentials::default().without_default_login(&self.registry)
        } else {
            Credentials::default()
        };
        self.credentials
            .iter()
            .fold(start, |c, (server, login)| c.with(server, login.clone()))
    }
}

/// A task's `task credential add` logins, by server.
fn task_logins(task: &Task) -> BTreeMap<String, Login> {
    task.registry_logins()
        .map(|(server, user, password)| {
            let login = Login {
                username: user.to_string(),
                password: password.to_string(),
            };
            (server.to_string(), login)
        })
        .collect()
}

/// A values file: a YAML map of names to values.
pub fn values_from_yaml(text: &str) -> Result<Vec<(String, String)>> {
    let map: std::collections::BTreeMap<String, serde_json::Value> =
        serde_saphyr::from_str(text)
            .map_err(|e| crate::error::invalid(format!("values file: {e}")))?;
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            (k, text)
        })
        .collect())
}
