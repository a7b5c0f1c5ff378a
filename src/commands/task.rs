//! `task create|update|show|list|delete`.

use base64::Engine as _;
use std::path::Path;

use super::{Ctx, confirm, find_task, read_stdin, task_not_found};
use crate::cli::{
    Status, TaskCreateArgs, TaskDeleteArgs, TaskListArgs, TaskShowArgs, TaskStepOptions,
    TaskUpdateArgs,
};
use crate::error::{Result, invalid};
use crate::model::argument::{Argument, dedup_by_name};
use crate::model::context::{ContextLocation, source_control_type};
use crate::model::image::ImageRef;
use crate::model::names::{EnvVarName, validate_task_name, validate_trigger_name};
use crate::model::status::SourceTriggerEvent;
use crate::model::system_data::SystemData;
use crate::model::task::{
    AgentConfiguration, Credentials, DEFAULT_CPU, DEFAULT_DOCKERFILE, DEFAULT_TIMEOUT_SECONDS,
    DockerStep, EncodedTaskStep, FileTaskStep, ImportStep, SourceRegistryCredentials, StepKind,
    StepSource, TASK_RESOURCE_TYPE, now_rfc3339,
};
use crate::model::trigger::{
    AuthInfo, BaseImageTrigger, DEFAULT_SOURCE_TRIGGER_NAME, SourceRepository, SourceTrigger,
    Trigger, parse_schedules,
};
use crate::model::{Platform, Platforms, SourceDateEpoch, Task, TaskStep};
use crate::output::{CommandOutput, views};

mod triggers;

use triggers::{apply_base_image_trigger, apply_source_trigger};

pub fn create(ctx: &Ctx, args: TaskCreateArgs) -> Result<CommandOutput> {
    let name = &args.task.name;
    validate_task_name(name)?;
    if args.assign_identity.is_some() {
        ctx.warn(
            "--assign-identity is Azure's: acrt has no managed identities; the task's runs log in \
             with its 'acrt task credential add' logins and yours ('acrt login'); ignored",
        );
    }
    if args.is_system_task {
        ctx.warn(
            "--is-system-task is Azure's (the system task of a registry with customer-managed \
             keys): acrt has none; a task like any other is created",
        );
    }
    let registry = ctx.registry(&args.task.registry)?;
    if args.options.context.is_none() && args.options.import_source.is_none() {
        return Err(invalid(
            "task create needs --context/-c: a local directory, a git URL (URL#branch:folder), \
             a tarball URL, or /dev/null for none",
        ));
    }
    let timers = parse_schedules(&args.schedule)?;
    let options = TaskOptions::resolve(&args.options)?;
    let mut task = new_task(&registry, name);
    apply_options(ctx, &registry, &mut task, &options)?;
    if !timers.is_empty() {
        task.trigger.timer_triggers = Some(timers);
    }
    // As az: a task created with its base image trigger off has none (null), where one
    // switched off later keeps it, disabled.
    if args.options.base_image_trigger_enabled == Some(false) {
        task.trigger.base_image_trigger = None;
    }
    ctx.store()?.insert_task(&registry, &task)?;
    task_output(&task.without_secrets())
}

pub fn update(ctx: &Ctx, args: TaskUpdateArgs) -> Result<CommandOutput> {
    let name = &args.task.name;
    let registry = ctx.registry(&args.task.registry)?;
    // Stdin, the environment and the context directory are read before the write
    // transaction starts, which then only applies values.
    let options = TaskOptions::resolve(&args.options)?;
    let mut store = ctx.store()?;
    let task = store
        .update_task(&registry, name, |task| {
            apply_options(ctx, &registry, task, &options)
        })?
        .ok_or_else(|| task_not_found(&registry, name))?;
    task_output(&task.without_secrets())
}

pub fn show(ctx: &Ctx, args: TaskShowArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.task.registry)?;
    let task = find_task(&ctx.store()?, &registry, &args.task.name)?;
    let task = if args.with_secure_properties {
        task
    } else {
        task.without_secrets()
    };
    task_output(&task)
}

pub fn list(ctx: &Ctx, args: TaskListArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let store = ctx.store()?;
    // Printed as the tasks are read: thousands of tasks are never held at once.
    Ok(CommandOutput::Stream {
        items: Box::new(move |emit| {
            store.for_each_task(&registry, |task| {
                emit(serde_json::to_value(task.without_secrets())?)
            })
        }),
        table: Some(views::TASK),
    })
}

pub fn delete(ctx: &Ctx, args: TaskDeleteArgs) -> Result<CommandOutput> {
    let name = &args.task.name;
    let registry = ctx.registry(&args.task.registry)?;
    let mut store = ctx.store()?;
    if store.get_task(&registry, name)?.is_none() {
        return Err(task_not_found(&registry, name));
    }
    if !args.yes
        && !confirm(
            &format!("Delete the task '{name}' of registry '{registry}'?"),
            &format!("the task '{name}'"),
        )?
    {
        return Ok(CommandOutput::Nothing);
    }
    if !store.delete_task(&registry, name)? {
        return Err(task_not_found(&registry, name));
    }
    Ok(CommandOutput::Nothing)
}

fn task_output(task: &Task) -> Result<CommandOutput> {
    CommandOutput::with_table(task, views::TASK)
}

/// A new task with az's defaults: a Docker step building ./Dockerfile, base image trigger on.
fn new_task(registry: &str, name: &str) -> Task {
    let now = now_rfc3339();
    Task {
        agent_configuration: AgentConfiguration { cpu: DEFAULT_CPU },
        agent_pool_name: None,
        base_image_update: Default::default(),
        retry_elsewhere: false,
        secret_env: Vec::new(),
        source_date_epoch: None,
        system_data: Some(SystemData::created(&now)),
        creation_date: now,
        credentials: None,
        id: Task::resource_id(registry, name),
        identity: None,
        is_system_task: false,
        location: None,
        log_template: None,
        name: name.to_string(),
        platform: Platform::default(),
        platforms: None,
        platform_lockstep: false,
        provisioning_state: "Succeeded".into(),
        resource_group: None,
        status: Status::Enabled,
        step: empty_step(StepKind::Docker, StepSource::default()),
        tags: None,
        timeout: DEFAULT_TIMEOUT_SECONDS,
        trigger: Trigger {
            base_image_trigger: Some(BaseImageTrigger::default()),
            source_triggers: None,
            timer_triggers: None,
        },
        resource_type: TASK_RESOURCE_TYPE.into(),
    }
}

fn empty_step(kind: StepKind, source: StepSource) -> TaskStep {
    match kind {
        StepKind::Docker => TaskStep::Docker(DockerStep {
            source,
            arguments: Vec::new(),
            docker_file_path: DEFAULT_DOCKERFILE.into(),
            image_names: Vec::new(),
            is_push_enabled: true,
            no_cache: false,
            target: None,
        }),
        StepKind::FileTask => TaskStep::FileTask(FileTaskStep {
            source,
            task_file_path: String::new(),
            values: Vec::new(),
            values_file_path: None,
        }),
        StepKind::EncodedTask => TaskStep::EncodedTask(EncodedTaskStep {
            source,
            encoded_task_content: String::new(),
            encoded_values_content: None,
            values: Vec::new(),
        }),
        StepKind::Import => TaskStep::Import(ImportStep {
            source,
            import_source: String::new(),
            image_names: Vec::new(),
        }),
    }
}

/// The create/update options with what they read resolved before the store is touched:
/// stdin (`-f -`, `--git-access-token -`), the environment (a bare `--arg NAME`), the
/// context directory; the flags that are plain values stay in `flags`.
struct TaskOptions<'a> {
    flags: &'a TaskStepOptions,
    /// `-c`: the context as stored (a local directory made absolute; /dev/null is none).
    context: Option<Option<String>>,
    /// `--git-access-token`, read from stdin for `-`.
    git_access_token: Option<String>,
    /// `--secret-env`.
    secret_env: Option<Vec<EnvVarName>>,
    /// `--arg` and `--secret-arg`, the later of a name winning.
    arguments: Option<Vec<Argument>>,
    /// `--set` and `--set-secret`, the later of a name winning.
    values: Option<Vec<Argument>>,
    /// `-f -`: the task file read from stdin (unless --cmd or --import-source decide).
    task_file: Option<String>,
    /// `--platform`.
    platform: Option<Platforms>,
    /// `--source-date-epoch` ("" clears it).
    source_date_epoch: Option<Option<SourceDateEpoch>>,
}

impl<'a> TaskOptions<'a> {
    fn resolve(o: &'a TaskStepOptions) -> Result<TaskOptions<'a>> {
        let env = |name: &str| std::env::var(name).ok();
        let context = o
            .context
            .as_deref()
            .map(|context| {
                let location = ContextLocation::parse(context);
                location.validate()?;
                normalize_context(&location, context)
            })
            .transpose()?;
        let arguments = (!o.arg.is_empty() || !o.secret_arg.is_empty())
            .then(|| {
                let plain = o
                    .arg
                    .iter()
                    .map(|a| Argument::parse(a, false, "--arg", env));
                let secret = o
                    .secret_arg
                    .iter()
                    .map(|a| Argument::parse(a, true, "--secret-arg", env));
                plain
                    .chain(secret)
                    .collect::<Result<Vec<_>>>()
                    .map(dedup_by_name)
            })
            .transpose()?;
        let values = (!o.set.is_empty() || !o.set_secret.is_empty())
            .then(|| parse_values(&o.set, &o.set_secret))
            .transpose()?;
        let secret_env = (!o.secret_env.is_empty())
            .then(|| EnvVarName::list("--secret-env", &o.secret_env))
            .transpose()?;
        let stdin_task_file =
            o.cmd.is_none() && o.import_source.is_none() && o.file.as_deref() == Some("-");
        Ok(TaskOptions {
            flags: o,
            context,
            git_access_token: o
                .git_access_token
                .as_deref()
                .map(|token| git_access_token(token, o))
                .transpose()?,
            secret_env,
            arguments,
            values,
            task_file: stdin_task_file
                .then(|| read_stdin("the task file"))
                .transpose()?,
            platform: o.platform.as_deref().map(Platforms::parse).transpose()?,
            source_date_epoch: o
                .source_date_epoch
                .as_deref()
                .map(SourceDateEpoch::parse_flag)
                .transpose()?,
        })
    }
}

/// Applies create/update options to a task. Everything is validated before the task is
/// touched in the store: an error here leaves the stored task as it was.
fn apply_options(ctx: &Ctx, registry: &str, task: &mut Task, options: &TaskOptions) -> Result<()> {
    let o = options.flags;
    // The kind of step: --cmd makes a command task, -f decides by its name, else unchanged.
    let kind = match (&o.cmd, &o.file) {
        _ if o.import_source.is_some() => StepKind::Import,
        (Some(_), _) => StepKind::EncodedTask,
        (None, Some(f)) if f == "-" => StepKind::EncodedTask,
        (None, Some(f)) => StepKind::for_file(f),
        (None, None) => task.step.kind(),
    };
    check_options_fit(ctx, kind, o)?;

    if let Some(context) = &options.context {
        task.step.source_mut().context_path = context.clone();
    }
    if let Some(branch) = &o.branch {
        let context = ContextLocation::of_stored(task.step.source().context_path.as_deref());
        let on_branch = context.git_text_on_branch(branch)?.ok_or_else(|| {
            invalid("--branch names a branch of a git context; this task has none (-c URL)")
        })?;
        task.step.source_mut().context_path = Some(on_branch);
    }
    if kind != task.step.kind() {
        let source = StepSource {
            base_image_dependencies: None,
            ..task.step.source().clone()
        };
        task.step = empty_step(kind, source);
    }
    if let Some(token) = &options.git_access_token {
        task.step.source_mut().context_access_token = (!token.is_empty()).then(|| token.clone());
    }
    if let Some(names) = &options.secret_env {
        task.secret_env = names.clone();
    }

    // -f names the user's own file when the task's context is a local directory.
    let context = ContextLocation::of_stored(task.step.source().context_path.as_deref());
    let named_file = |file: &str| crate::context::user_file(file, &context);
    match &mut task.step {
        TaskStep::Docker(step) => {
            if let Some(file) = &o.file {
                step.docker_file_path = named_file(file)?;
            }
            if !o.image.is_empty() {
                step.image_names = validate_images(&ctx.images_on_aliases(&o.image), registry)?;
            }
            if let Some(arguments) = &options.arguments {
                step.arguments = arguments.clone();
            }
            if let Some(no_push) = o.no_push {
                step.is_push_enabled = !no_push;
            }
            if let Some(no_cache) = o.no_cache {
                step.no_cache = no_cache;
            }
            if let Some(target) = &o.target {
                step.target = (!target.is_empty()).then(|| target.clone());
            }
            if step.is_push_enabled && step.image_names.is_empty() {
                ctx.warn("no --image given: runs of this task build the image but push nothing");
            }
        }
        TaskStep::Import(step) => {
            if let Some(source) = &o.import_source {
                step.import_source = ImageRef::parse_in(source, None)?.to_string();
            }
            if !o.image.is_empty() {
                step.image_names = validate_images(&ctx.images_on_aliases(&o.image), registry)?;
            }
            if step.image_names.is_empty() {
                // As acrt import: the source's repository and tag, in the task's registry.
                let source = ImageRef::parse_in(&step.import_source, None)?;
                let tag = source.tag.as_deref().unwrap_or("latest");
                step.image_names = vec![format!("{}:{tag}", source.repository)];
            }
        }
        TaskStep::FileTask(step) => {
            if let Some(file) = &o.file {
                step.task_file_path = named_file(file)?;
            }
            if let Some(values_file) = &o.values {
                step.values_file_path = (!values_file.is_empty()).then(|| values_file.clone());
            }
            if let Some(values) = &options.values {
                step.values = values.clone();
            }
        }
        TaskStep::EncodedTask(step) => {
            if let Some(cmd) = &o.cmd {
                let timeout = o.timeout.unwrap_or(task.timeout);
                let file = crate::engine::steps::inline_cmd_task_file(cmd, timeout);
                step.encoded_task_content = base64::engine::general_purpose::STANDARD.encode(file);
                step.encoded_values_content = None;
            } else if let Some(text) = &options.task_file {
                step.encoded_task_content = base64::engine::general_purpose::STANDARD.encode(text);
                step.encoded_values_content = None;
            }
            if let Some(values) = &options.values {
                step.values = values.clone();
            }
        }
    }

    if let Some(platforms) = &options.platform {
        task.set_platforms(platforms.clone());
    }
    if let Some(lockstep) = o.platform_lockstep {
        task.platform_lockstep = lockstep;
    }
    let lockstep_asked = o.platform_lockstep.is_some() || options.platform.is_some();
    if lockstep_asked && task.platform_lockstep && !task.platforms().several() {
        ctx.warn(
            "--platform-lockstep has an effect only on a task of several platforms (--platform)",
        );
    }
    if let Some(cpu) = o.cpu {
        task.agent_configuration.cpu = cpu;
    }
    if let Some(timeout) = o.timeout {
        task.timeout = timeout;
    }
    if let Some(status) = o.status {
        task.status = status;
    }
    if let Some(way) = o.base_image_update {
        task.base_image_update = way;
    }
    if let Some(retry) = o.retry_elsewhere {
        task.retry_elsewhere = retry;
    }
    if let Some(epoch) = options.source_date_epoch {
        task.source_date_epoch = epoch;
    }
    if let Some(template) = &o.log_template {
        task.log_template = (!template.is_empty()).then(|| template.clone());
    }
    if let Some(mode) = o.auth_mode {
        let creds = task.credentials.get_or_insert_with(|| Credentials {
            custom_registries: Default::default(),
            source_registry: SourceRegistryCredentials::default(),
        });
        creds.source_registry.login_mode = mode;
    }
    apply_base_image_trigger(task, o)?;
    apply_source_trigger(ctx, task, o)
}

/// Refuses options that the task's kind of step has no use for, rather than ignoring them
/// silently.
fn check_options_fit(ctx: &Ctx, kind: StepKind, o: &TaskStepOptions) -> Result<()> {
    let dockerfile_only = [
        ("--image", !o.image.is_empty()),
        ("--arg", !o.arg.is_empty()),
        ("--secret-arg", !o.secret_arg.is_empty()),
        ("--no-push", o.no_push.is_some()),
        ("--no-cache", o.no_cache.is_some()),
        ("--target", o.target.is_some()),
    ];
    let task_file_only = [
        ("--set", !o.set.is_empty()),
        ("--set-secret", !o.set_secret.is_empty()),
        ("--values", o.values.is_some()),
        ("--secret-env", !o.secret_env.is_empty()),
    ];
    match kind {
        StepKind::Docker => {
            if let Some((flag, _)) = task_file_only.iter().find(|(_, given)| *given) {
                return Err(invalid(format!(
                    "{flag} is for multi-step tasks (-f task.yaml or --cmd); a Dockerfile task takes \
                     build arguments with --arg and --secret-arg, and values for {{{{.Values.NAME}}}} per \
                     run: 'acrt task run --set NAME=VALUE'"
                )));
            }
        }
        StepKind::Import => {
            let timestamps = [
                ("--source-date-epoch", o.source_date_epoch.is_some()),
                ("--retry-elsewhere", o.retry_elsewhere.is_some()),
            ];
            let other = dockerfile_only
                .iter()
                .skip(1)
                .chain(task_file_only.iter())
                .chain(timestamps.iter())
                .find(|(_, given)| *given);
            if let Some((flag, _)) = other {
                return Err(invalid(format!(
                    "{flag} has no use in a mirror task (--import-source): it copies the image as \
                     it is, to the --image names"
                )));
            }
        }
        StepKind::FileTask | StepKind::EncodedTask => {
            // As az: a task file names its own images and build arguments, and az ignores
            // these (scripts pass them); the rest of a Dockerfile task's options are refused.
            let (ignored, refused) = dockerfile_only.split_at(3);
            for (flag, _) in ignored.iter().filter(|(_, given)| *given) {
                ctx.warn(&format!(
                    "{flag} is for Dockerfile tasks; a multi-step task names its images and build \
                     arguments in its task file; ignored"
                ));
            }
            if let Some((flag, _)) = refused.iter().find(|(_, given)| *given) {
                return Err(invalid(format!(
                    "{flag} is for Dockerfile tasks; a multi-step task names its images and build \
                     arguments in its task file, and takes values with --set and --set-secret"
                )));
            }
            if kind == StepKind::EncodedTask && o.values.is_some() {
                return Err(invalid(
                    "--values names a values file beside a task file in the context; with --cmd or \
                     -f - pass values with --set instead",
                ));
            }
        }
    }
    Ok(())
}

/// What a context is stored as: local directories as absolute paths, /dev/null as none.
fn normalize_context(location: &ContextLocation, text: &str) -> Result<Option<String>> {
    Ok(match location {
        ContextLocation::None => None,
        ContextLocation::Local(path) => {
            let dir = Path::new(path);
            if !dir.is_dir() {
                return Err(invalid(format!(
                    "the context directory '{path}' does not exist; give an existing directory, a git or \
                     tarball URL, or /dev/null for none"
                )));
            }
            Some(dir.canonicalize()?.to_string_lossy().into_owned())
        }
        _ => Some(text.trim().to_string()),
    })
}

fn validate_images(images: &[String], registry: &str) -> Result<Vec<String>> {
    for image in images {
        crate::model::image::validate_image_name(image, registry)?;
    }
    let mut out: Vec<String> = Vec::new();
    for image in images {
        if !out.contains(image) {
            out.push(image.clone());
        }
    }
    Ok(out)
}

/// `--git-access-token`: the token, or with `-` the first line of stdin (kept out of the
/// process list).
fn git_access_token(given: &str, o: &TaskStepOptions) -> Result<String> {
    if given != "-" {
        return Ok(given.to_string());
    }
    if o.file.as_deref() == Some("-") {
        return Err(invalid(
            "-f - and --git-access-token - both read stdin; give one of them another way",
        ));
    }
    let text = read_stdin("the git access token")?;
    Ok(text.lines().next().unwrap_or_default().trim().to_string())
}

/// `--set` or `--set-secret`: as `--arg`, a bare NAME takes its value from the environment
/// (which keeps a secret out of the process list).
fn parse_value(text: &str, is_secret: bool) -> Result<Argument> {
    let flag = if is_secret { "--set-secret" } else { "--set" };
    let env = |name: &str| std::env::var(name).ok();
    Argument::parse(text, is_secret, flag, env)
}

/// `--set` and `--set-secret` values, the later of a name winning.
pub(crate) fn parse_values(set: &[String], set_secret: &[String]) -> Result<Vec<Argument>> {
    let plain = set.iter().map(|s| parse_value(s, false));
    let secret = set_secret.iter().map(|s| parse_value(s, true));
    Ok(dedup_by_name(plain.chain(secret).collect::<Result<_>>()?))
}
