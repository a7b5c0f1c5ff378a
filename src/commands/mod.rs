//! What each command does, one file per command group. Commands return values; `output`
//! prints them.

mod build;
mod builder;
pub mod completion;
mod config;
mod credential;
mod graph;
mod import;
mod run;
mod task;
mod taskrun;
mod timer;
mod verify;
mod watch;

use anyhow::Context as _;
use std::io::{IsTerminal, Read};

use crate::builder::Builder;
use crate::builder::pool::{Answers, Silent};
use crate::cli::{Cli, Command, RegistryArg, RunWaitArgs, TaskCommand};
use crate::config::Config;
use crate::echo::escape_controls;
use crate::engine::{self, RunSpec, runtime};
use crate::error::{Error, Message, Result, failed, invalid, not_found};
use crate::model::RunKey;
use crate::model::pool::{BuilderChoice, Load, PoolBuilder};
use crate::model::registry::resolve_login_server;
use crate::model::run::Run;
use crate::model::status::RunStatus;
use crate::output::TableView;
use crate::output::{self, CommandOutput, Format, OutputOptions, Query};
use crate::settings::{FileSettings, Settings};
use crate::store::Store;

/// What every command can reach: settings, the store, the user's terminal.
pub struct Ctx {
    /// The config file as read, for the commands that show or change it.
    pub config: Config,
    /// Everything else reads settings from here, typed and resolved once.
    pub settings: Settings,
    output: OutputOptions,
}

impl Ctx {
    pub fn store(&self) -> Result<Store> {
        let dir = match &self.settings.state_dir {
            Some(dir) => dir.clone(),
            None => directories::ProjectDirs::from("", "", "acrt")
                .map(|d| d.data_dir().to_path_buf())
                .context("cannot find a data directory for this user; set ACRT_HOME")?,
        };
        self.info(&format!("state: {}", dir.display()));
        let mut store = Store::open(&dir)?;
        // A run whose process was killed is noticed by whatever command comes next: marked
        // Failed, its builder stopped, its containers and auth file removed. One indexed
        // query when nothing is running.
        engine::reap_dead_runs(&mut store)?;
        Ok(store)
    }

    /// The login server a command acts on: -r, else ACRT_REGISTRY, else the configured default.
    pub fn registry(&self, arg: &RegistryArg) -> Result<String> {
        let given = arg
            .registry
            .clone()
            .or_else(|| self.settings.default_registry.clone())
            .ok_or_else(|| {
                invalid(
                    "no registry given: pass --registry/-r (e.g. -r localhost:5000), set ACRT_REGISTRY, \
                     or set a default with 'acrt configure --defaults acr=localhost:5000'",
                )
            })?;
        let server = resolve_login_server(&given, &self.settings.file.registry_aliases)?;
        self.info(&format!("registry: {server}"));
        Ok(server)
    }

    /// Image names as given, with `NAME.azurecr.io/` taken for the alias NAME's server where
    /// NAME is one (in Azure that host is the registry itself); said once.
    pub fn images_on_aliases(&self, images: &[String]) -> Vec<String> {
        let mut said = false;
        images
            .iter()
            .map(|image| {
                match crate::model::registry::image_on_alias(image, &self.settings.file.registry_aliases) {
                    Some(mapped) => {
                        if !std::mem::replace(&mut said, true) {
                            self.warn(&format!(
                                "{image}: NAME.azurecr.io is the registry NAME in Azure; here it is the alias's server: {mapped}"
                            ));
                        }
                        mapped
                    }
                    None => image.clone(),
                }
            })
            .collect()
    }

    /// A warning on stderr, unless --only-show-errors.
    pub fn warn(&self, message: &str) {
        if !self.settings.quiet {
            eprintln!("warning: {}", escape_controls(message));
        }
    }

    /// Progress ("Queued a run with ID: da1") on stderr, unless --only-show-errors.
    pub fn status(&self, message: &str) {
        if !self.settings.quiet {
            eprintln!("{}", escape_controls(message));
        }
    }

    /// Prints a result now, for commands that print and then fail (a run that failed).
    pub fn print(&self, output: CommandOutput) -> Result<()> {
        output::print(output, &self.output)
    }

    /// The run's builders: --builder or ACRT_BUILDER, else `defaults.builder`, naming a
    /// builder of the pool builds every platform there. Else each platform goes to a builder
    /// of the pool that builds it natively (this machine's, a kind on it with the podman
    /// service `core.builder_url` names, is one): the one that built it last for the task,
    /// else the least loaded by the runs going now; with a kind named, this machine's
    /// wherever it builds the platform natively. The named builders are asked first whether
    /// they answer (as watch asks them): one that does not is left out with a warning, and a
    /// platform that only such builders build natively is an error naming them. The run's
    /// builder, when it is a named one asked here, as reached then (for [`start_run`]).
    /// `store` is the command's, read for the runs going now and the task's last run.
    pub fn set_builder(
        &self,
        store: &Store,
        spec: &mut crate::engine::RunSpec,
        wait: &RunWaitArgs,
    ) -> Result<Option<Box<dyn Builder>>> {
        let choice = wait
            .builder
            .as_ref()
            .or(self.settings.file.builder.as_ref());
        let pool = self.config.builder_pool()?;
        if let Some(named) = choice.map(|c| c.pool_builder(&pool)).transpose()?.flatten() {
            spec.build_on(named);
            return Ok(None);
        }
        let kind = choice.and_then(BuilderChoice::kind);
        let load = self.builder_load(&pool, 1)?;
        // A mirror task's run builds nothing: no builder needs to answer for it.
        let Answers {
            mut load,
            silent,
            mut reached,
        } = match spec.plan {
            crate::engine::RunPlan::Mirror { .. } => Answers {
                load,
                silent: Vec::new(),
                reached: Default::default(),
            },
            _ => self.answering(load),
        };
        let local = (kind, self.settings.file.builder_url.clone());
        spec.pool = Some(crate::engine::RunPool::of(&load, local.0, local.1.clone()));
        let mut last = None;
        if !pool.is_empty() {
            for going in store.unfinished_runs()? {
                for name in going.run.builders() {
                    load.occupy(load.seat_of(name));
                }
            }
            if let Some(task) = &spec.task {
                last = store.latest_run(&spec.registry, Some(task))?;
            }
        }
        let prefer = match kind {
            Some(_) => crate::engine::Prefer::ThisMachine,
            None => crate::engine::Prefer::LastRun(last.as_ref()),
        };
        spec.place_on(&mut load, prefer, true, local)
            .expect("an overfilled pool has room");
        nowhere_to_go(spec, &pool, &silent)?;
        Ok(spec
            .builder_name
            .as_ref()
            .and_then(|name| reached.remove(name)))
    }

    /// `load` without its named builders that do not answer now
    /// (`builder::pool::answering`), each named in a warning.
    fn answering(&self, load: Load) -> Answers {
        if load.named().is_empty() {
            return Answers {
                load,
                silent: Vec::new(),
                reached: Default::default(),
            };
        }
        let answers = crate::builder::pool::answering(&load);
        for s in &answers.silent {
            self.warn(&s.to_string());
        }
        answers
    }

    /// The pool: this machine's builder as the config names it (taking
    /// `builders.local.capacity` runs at once, else `local_capacity`) and `named`, the
    /// config's named ones (`Config::builder_pool`, as the caller read it).
    pub fn builder_load(&self, named: &[PoolBuilder], local_capacity: u32) -> Result<Load> {
        let local = self.config.local_builder()?;
        Ok(Load::new(
            Some(local.capacity.unwrap_or(local_capacity)),
            local.natives(),
            named.to_vec(),
        ))
    }

    /// Whether the user asked for an output format (so a command that prints nothing by
    /// default, such as `watch --once`, prints its report).
    pub fn output_given(&self) -> bool {
        self.settings.output_given
    }

    pub fn quiet(&self) -> bool {
        self.settings.quiet
    }

    /// Whether the result is printed as a table of the command's own layout (`-o table`
    /// without `--query`): for results that are no rows, such as a tree.
    pub fn own_table(&self) -> bool {
        self.output.format == Format::Table && self.output.query.is_none()
    }

    pub fn info(&self, message: &str) {
        if self.settings.verbose {
            eprintln!("{}", escape_controls(message));
        }
    }
}

/// An error when a platform of `spec` was placed on a builder that does not build it
/// natively while builders of `pool` that do were left out as `silent`: it has nowhere to go
/// (built elsewhere, its RUN steps would need emulation the user did not ask for).
fn nowhere_to_go(spec: &RunSpec, pool: &[PoolBuilder], silent: &[Silent]) -> Result<()> {
    for placed in &spec.platform_builders {
        let platform = &placed.platform;
        let native = |natives: &[crate::model::Platform]| {
            natives.iter().any(|n| n.builds_natively(platform))
        };
        if native(&placed.natives) {
            continue;
        }
        let down: Vec<&Silent> = silent
            .iter()
            .filter(|s| {
                pool.iter()
                    .any(|b| b.name == s.name && native(&b.natives()))
            })
            .collect();
        if down.is_empty() {
            continue;
        }
        let names: Vec<&str> = down.iter().map(|s| s.name.as_str()).collect();
        let why: Vec<String> = down
            .iter()
            .map(|s| format!("{}: {}", s.name, s.reason))
            .collect();
        let text = format!(
            "{platform} has no builder to go to: the builders that build it natively ({}) do \
             not answer ({})",
            names.join(", "),
            why.join("; ")
        );
        let hint = format!(
            "see whether they answer with 'acrt builder check {}', start them, or name another \
             builder of {platform} with 'acrt config set builders.NAME.platforms={platform}'",
            names.join(" ")
        );
        return Err(Error::Failed(Message::hinted(text, hint)).into());
    }
    Ok(())
}

/// Runs the command line: settings first, the query compiled before anything changes, then the
/// command, then its output.
pub fn execute(cli: Cli) -> Result<()> {
    let config = Config::load()?;
    let env = |name: &str| std::env::var(name).ok();
    let file = match FileSettings::from_config(&config) {
        Ok(file) => file,
        // The commands that fix the file work while it holds a bad value.
        Err(_) if matches!(cli.command, Command::Config(_) | Command::Configure(_)) => {
            FileSettings::from_config(&Config::default())?
        }
        Err(e) => return Err(e),
    };
    let settings = Settings::over(file, &cli.global, env);
    let query = cli
        .global
        .query
        .as_deref()
        .map(Query::compile)
        .transpose()?;
    crate::registry::configure(settings.file.registry.clone());
    crate::context::configure(settings.file.context.clone());
    crate::attest::configure(settings.file.signing_key.clone());
    let ctx = Ctx {
        output: OutputOptions {
            format: settings.output,
            query,
        },
        config,
        settings,
    };
    for note in cli.global.azure.explanations() {
        ctx.warn(note);
    }
    let result = match cli.command {
        Command::Task(command) => dispatch_task(&ctx, command)?,
        Command::Taskrun(command) => taskrun::dispatch(&ctx, command)?,
        Command::Build(args) => build::build(&ctx, args)?,
        Command::Scan(args) => build::scan(&ctx, args)?,
        Command::Run(args) => build::quick_run(&ctx, args)?,
        Command::RunWorker(args) => build::run_worker(&ctx, args)?,
        Command::Watch(args) => watch::watch(&ctx, args)?,
        Command::Import(args) => import::import(&ctx, args)?,
        Command::Login(args) => import::login(&ctx, args)?,
        Command::Logout(args) => import::logout(&ctx, args)?,
        Command::Verify(args) => verify::verify(&ctx, args)?,
        Command::Configure(args) => config::configure(&ctx, args)?,
        Command::Config(command) => config::config(&ctx, command)?,
        Command::Builder(command) => builder::dispatch(&ctx, command)?,
        Command::Completion { shell } => completion::completion(shell)?,
    };
    ctx.print(result)
}

fn dispatch_task(ctx: &Ctx, command: TaskCommand) -> Result<CommandOutput> {
    match command {
        TaskCommand::Create(args) => task::create(ctx, args),
        TaskCommand::Update(args) => task::update(ctx, args),
        TaskCommand::Show(args) => task::show(ctx, args),
        TaskCommand::List(args) => task::list(ctx, args),
        TaskCommand::Delete(args) => task::delete(ctx, args),
        TaskCommand::Run(args) => run::task_run(ctx, args),
        TaskCommand::ListRuns(args) => run::list_runs(ctx, args),
        TaskCommand::ShowRun(args) => run::show_run(ctx, args),
        TaskCommand::Logs(args) => run::logs(ctx, args),
        TaskCommand::CancelRun(args) => run::cancel_run(ctx, args),
        TaskCommand::UpdateRun(args) => run::update_run(ctx, args),
        TaskCommand::CheckBase(args) => watch::check_base(ctx, args),
        TaskCommand::Graph(args) => graph::graph(ctx, args),
        TaskCommand::Rebase(args) => run::task_rebase(ctx, args),
        TaskCommand::Credential(command) => credential::dispatch(ctx, command),
        TaskCommand::Timer(command) => timer::dispatch(ctx, command),
        TaskCommand::Identity(_) => Err(managed_identity_unsupported()),
    }
}

pub(crate) fn task_not_found(registry: &str, name: &str) -> anyhow::Error {
    not_found(format!(
        "the task '{name}' does not exist in registry '{registry}'; list the tasks there with \
         'acrt task list -r {registry}'"
    ))
}

/// The task `name` of `registry`, or an error saying how to list the tasks there.
pub(crate) fn find_task(store: &Store, registry: &str, name: &str) -> Result<crate::model::Task> {
    store
        .get_task(registry, name)?
        .ok_or_else(|| task_not_found(registry, name))
}

/// The run `run_id` of `registry`, or an error saying how to list the runs there.
pub(crate) fn find_run(
    store: &Store,
    registry: &str,
    run_id: &str,
) -> Result<crate::model::run::Run> {
    let key = RunKey::new(registry, &run_id.to_ascii_lowercase());
    store.get_run(&key)?.map(|r| r.run).ok_or_else(|| {
        not_found(format!(
            "the run '{run_id}' does not exist in registry '{registry}'; list runs with 'acrt task list-runs -r {registry}'"
        ))
    })
}

/// Asks y/N on the terminal; without one, refuses and says to pass --yes.
pub(crate) fn confirm(question: &str, what: &str) -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(invalid(format!(
            "cannot ask for confirmation: stdin is not a terminal; pass --yes to delete {what}"
        )));
    }
    eprint!("{} (y/N): ", escape_controls(question));
    std::io::Write::flush(&mut std::io::stderr())?;
    let mut answer = String::new();
    std::io::BufRead::read_line(&mut stdin.lock(), &mut answer)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

pub(crate) fn managed_identity_unsupported() -> anyhow::Error {
    invalid(
        "managed identities are an Azure feature with no local meaning; give the task registry \
         credentials instead: 'acrt task credential add -n TASK --login-server SERVER -u USER \
         --password-stdin'",
    )
}

/// Reads a secret or a file from stdin, refusing a terminal so that a script never hangs.
pub(crate) fn read_stdin(what: &str) -> Result<String> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(invalid(format!(
            "{what} is read from stdin, but stdin is a terminal; pipe it in"
        )));
    }
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read {what} from stdin"))?;
    Ok(text)
}

/// The password of `-p`, or of `--password-stdin` (trailing newline dropped), if either.
pub(crate) fn read_password(
    args: &crate::cli::UserPasswordArgs,
    what: &str,
) -> Result<Option<String>> {
    Ok(match (&args.password, args.password_stdin) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => Some(read_stdin(what)?.trim_end_matches(['\r', '\n']).to_string()),
        (None, false) => None,
    })
}

/// `--log-template` names where ACR keeps a run's log as an artifact; acrt keeps it here.
fn explain_log_template(ctx: &Ctx, template: Option<&str>) {
    if template.is_some() {
        ctx.warn(
            "--log-template is for ACR's log artifacts: acrt keeps each run's log on this machine \
             ('acrt task logs --run-id ID'); ignored",
        );
    }
}

/// Queues a run on the command's `store` and, as asked, streams it, waits for it, or leaves
/// it to a worker. `table` is the run's az table: the build one for `acrt build`, the run
/// one otherwise. `reached`: the run's builder as [`Ctx::set_builder`] reached it, if it did.
pub(crate) fn start_run(
    ctx: &Ctx,
    mut store: Store,
    spec: RunSpec,
    reached: Option<Box<dyn Builder>>,
    wait: &RunWaitArgs,
    table: TableView,
) -> Result<CommandOutput> {
    // No builder is a problem of this machine, not of a run: say so before queueing one
    // (a mirror task's run needs none). A run in this process uses the one chosen here;
    // a worker reaches its own.
    let builder = match (&spec.plan, reached) {
        (crate::engine::RunPlan::Mirror { .. }, _) => None,
        (_, Some(reached)) => Some(reached),
        (_, None) => Some(run_builder(&spec)?),
    };
    // A signing key that cannot be read (or decrypted) would fail the run after its push.
    crate::attest::configured_signer()?;
    let mut spec = spec;
    spec.secret_env
        .extend(ctx.settings.file.secret_env.iter().cloned());
    spec.task_aliases = ctx.settings.file.task_aliases.clone();
    let registry = spec.registry.clone();
    let queued = engine::queue(&mut store, &spec, ctx.settings.file.run_retention_days)?;
    let run_id = queued.run_id.clone();
    ctx.status(&format!("Queued a run with ID: {run_id}"));
    let given = spec.given_secrets();
    if wait.no_wait {
        engine::spawn_detached(&mut store, &RunKey::new(&registry, &run_id), &given)?;
        return CommandOutput::with_table(queued, table);
    }
    if !wait.no_logs {
        ctx.status("Waiting for an agent...");
    }
    let run = runtime()?.block_on(engine::execute(
        store,
        &RunKey::new(&registry, &run_id),
        !wait.no_logs,
        &given,
        builder,
    ))?;
    // With --no-logs the run is the output, failed or not; with logs, the log was it.
    let output = if wait.no_logs {
        CommandOutput::with_table(&run, table)?
    } else {
        CommandOutput::Nothing
    };
    Ok(match run_failure(&run) {
        Some(error) => CommandOutput::ThenFail {
            output: Box::new(output),
            error,
        },
        None => output,
    })
}

/// The run's builder, asked now; a named builder of the pool that does not answer is named
/// with the command that checks it.
fn run_builder(spec: &RunSpec) -> Result<Box<dyn crate::builder::Builder>> {
    let builder = crate::builder::of_run(
        spec.builder,
        spec.builder_url.as_deref(),
        spec.builder_name.is_some(),
    );
    match (&spec.builder_name, builder) {
        (Some(name), Err(e)) => {
            let text = format!("the builder '{name}' of the pool does not answer: {e:#}");
            let hint = format!(
                "see whether it answers with 'acrt builder check {name}', or pick another with \
                 --builder"
            );
            Err(Error::Failed(Message::hinted(text, hint)).into())
        }
        (_, builder) => builder,
    }
}

fn run_failure(run: &Run) -> Option<anyhow::Error> {
    let why = run
        .run_error_message
        .as_deref()
        .map(|m| format!(": {m}"))
        .unwrap_or_default();
    let see = format!(
        "; see the log with 'acrt task logs --run-id {}'",
        run.run_id
    );
    match run.status {
        RunStatus::Succeeded => None,
        RunStatus::Timeout => Some(failed(format!("Run timed out{why}{see}"))),
        RunStatus::Canceled => Some(failed(format!("Run was canceled{why}"))),
        _ => Some(failed(format!("Run failed{why}{see}"))),
    }
}
