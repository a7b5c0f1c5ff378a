//! `acrt build` (a quick build), `acrt scan`, and the hidden worker that runs `--no-wait` runs.

use serde_json::json;

use super::Ctx;
use super::start_run;
use crate::cli::{BuildArgs, QuickRunLoginArgs, RunWorkerArgs, ScanArgs};
use crate::context;
use crate::context::absolute_context;
use crate::dockerfile;
use crate::engine::runtime;
use crate::engine::{self, Build, RunPlan, RunSpec};
use crate::error::{Result, invalid};
use crate::model::RunKey;
use crate::model::argument::{Argument, dedup_by_name};
use crate::model::names::EnvVarName;
use crate::model::status::RunType;
use crate::model::task::LoginMode;
use crate::model::{ContextLocation, Platform, Platforms, SourceDateEpoch};
use crate::output::{CommandOutput, TableView, items, views};
use crate::registry::{Credentials, RegistryClient};

pub fn build(ctx: &Ctx, args: BuildArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let platforms = Platforms::parse(&args.platform)?;
    let source_date_epoch = args
        .source_date_epoch
        .as_deref()
        .map(SourceDateEpoch::parse_flag)
        .transpose()?
        .flatten();
    let env = |n: &str| std::env::var(n).ok();
    let mut arguments = Vec::new();
    for a in &args.build_arg {
        arguments.push(Argument::parse_build_arg(a, false, "--build-arg", env)?);
    }
    for a in &args.secret_build_arg {
        arguments.push(Argument::parse_build_arg(
            a,
            true,
            "--secret-build-arg",
            env,
        )?);
    }
    if args.image.is_empty() && !args.no_push {
        ctx.warn("no image name given (-t): the image is built but not pushed");
    }
    let source = absolute_context(&args.source)?;
    let location = ContextLocation::parse(&source);
    if matches!(location, ContextLocation::None) {
        return Err(invalid(
            "acrt build needs a context to build; give a directory, a git URL or a tarball URL",
        ));
    }
    let mut spec = RunSpec::new(
        &registry,
        // az's service names a quick build's run QuickRun too.
        RunType::QuickRun,
        Some(source),
        platforms.first().clone(),
        args.timeout,
    );
    spec.set_platforms(platforms);
    let dockerfile = match args.file.as_deref() {
        // As docker build -f -: the Dockerfile on stdin, the context as given.
        Some("-") => Build::Dockerfile {
            path: "Dockerfile".into(),
            text: Some(super::read_stdin("the Dockerfile")?),
        },
        Some(file) => Build::Dockerfile {
            path: crate::context::user_file(file, &location)?,
            text: None,
        },
        None => Build::Dockerfile {
            path: "Dockerfile".into(),
            text: None,
        },
    };
    spec.plan = RunPlan::Build(dockerfile);
    let images = ctx.images_on_aliases(&args.image);
    for image in &images {
        crate::model::image::validate_image_name(image, &registry)?;
    }
    spec.images = images;
    spec.arguments = dedup_by_name(arguments);
    spec.target = args.target.clone();
    spec.no_cache = args.no_cache;
    spec.push = !args.no_push;
    spec.source_date_epoch = source_date_epoch;
    if args.source_acr_auth_id.is_some() {
        ctx.warn(
            "--source-acr-auth-id is Azure's: acrt has no managed identities; the run logs in \
             with yours ('acrt login'); ignored",
        );
    }
    apply_login_args(ctx, &mut spec, &args.login);
    let store = ctx.store()?;
    let reached = ctx.set_builder(&store, &mut spec, &args.wait)?;
    start_run(ctx, store, spec, reached, &args.wait, views::BUILD)
}

/// `--auth-mode None`: the run gets no login of the user's for its own registry, as az's.
fn apply_login_args(ctx: &Ctx, spec: &mut RunSpec, args: &QuickRunLoginArgs) {
    spec.no_default_login = args.auth_mode == Some(LoginMode::None);
    super::explain_log_template(ctx, args.log_template.as_deref());
}

pub fn run_worker(ctx: &Ctx, args: RunWorkerArgs) -> Result<CommandOutput> {
    // What the queuing process hands over on stdin: the run's secret values.
    let given: engine::GivenSecrets = match super::read_stdin("the run's secrets")? {
        text if text.trim().is_empty() => engine::GivenSecrets::default(),
        text => serde_json::from_str(&text)?,
    };
    let store = ctx.store()?;
    runtime()?.block_on(engine::execute(
        store,
        &RunKey::new(&args.registry, &args.run_id),
        false,
        &given,
        None,
    ))?;
    Ok(CommandOutput::Nothing)
}

pub fn scan(_ctx: &Ctx, args: ScanArgs) -> Result<CommandOutput> {
    let platforms = Platforms::parse(&args.platform)?;
    let env = |n: &str| std::env::var(n).ok();
    let build_args: Vec<(String, String)> = args
        .build_arg
        .iter()
        .map(|a| {
            Argument::parse_build_arg(a, false, "--build-arg", env)
                .map(|a| (a.name, a.value.unwrap_or_default()))
        })
        .collect::<Result<_>>()?;
    let rt = runtime()?;
    let work = tempfile::tempdir()?;
    let location = ContextLocation::parse(&args.context);
    let fetched = rt.block_on(context::fetch(&location, None, work.path()))?;
    let named = crate::context::user_file(&args.file, &location)?;
    let (_, text) = crate::context::read_dockerfile_named(&location, &fetched.dir, &named)?;
    let mut out = Vec::new();
    for platform in platforms.iter() {
        let options = dockerfile::ScanOptions {
            build_args: &build_args,
            target: args.target.as_deref(),
            platform,
        };
        let bases = dockerfile::scan(&text, &options)?;
        let rows = scan_rows(&rt, &bases, platform, args.resolve)?;
        out.extend(rows.into_iter().map(|mut row| {
            // Several platforms: each row says which one it is for.
            if platforms.several() {
                row["platform"] = json!(platform.to_string());
            }
            row
        }));
    }
    let table = if platforms.several() {
        SCAN_TABLE_PLATFORMS
    } else {
        SCAN_TABLE
    };
    CommandOutput::with_table(out, table)
}

/// One row per base of one platform's scan; with `resolve`, each base's digest for the
/// platform its stage is built for (a `FROM --platform=$BUILDPLATFORM` stage: the build
/// platform's), as BuildKit resolves it.
fn scan_rows(
    rt: &tokio::runtime::Runtime,
    bases: &[dockerfile::BaseImage],
    platform: &Platform,
    resolve: bool,
) -> Result<Vec<serde_json::Value>> {
    let registries: Vec<String> = bases
        .iter()
        .filter_map(|b| b.image.as_ref().map(|i| i.api_registry().to_string()))
        .collect();
    let client = RegistryClient::new(Credentials::default(), &registries);
    let mut out = Vec::new();
    for base in bases {
        let digest = match (&base.image, resolve) {
            (Some(image), true) => {
                let its = base.platform.as_ref().unwrap_or(platform);
                Some(
                    rt.block_on(engine::pipeline::resolve_base(&client, image, its))?
                        .platform_digest,
                )
            }
            _ => None,
        };
        out.push(match &base.image {
            Some(image) => json!({
                "type": base.dependency_type,
                "registry": image.registry,
                "repository": image.repository,
                "tag": image.tag,
                "digest": digest.or_else(|| image.digest.clone()),
            }),
            None => json!({"type": base.dependency_type, "registry": null, "repository": "scratch", "tag": null, "digest": null}),
        });
    }
    Ok(out)
}

const SCAN_COLUMNS: [&str; 5] = ["type", "registry", "repository", "tag", "digest"];

const SCAN_TABLE: TableView = TableView {
    columns: &["TYPE", "REGISTRY", "REPOSITORY", "TAG", "DIGEST"],
    rows: |value| scan_table_rows(value, &SCAN_COLUMNS),
};

const SCAN_TABLE_PLATFORMS: TableView = TableView {
    columns: &[
        "PLATFORM",
        "TYPE",
        "REGISTRY",
        "REPOSITORY",
        "TAG",
        "DIGEST",
    ],
    rows: |value| {
        scan_table_rows(
            value,
            &[
                "platform",
                "type",
                "registry",
                "repository",
                "tag",
                "digest",
            ],
        )
    },
};

fn scan_table_rows(value: &serde_json::Value, keys: &[&str]) -> Vec<Vec<String>> {
    items(value)
        .into_iter()
        .map(|d| {
            keys.iter()
                .map(|k| d[*k].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

pub fn quick_run(ctx: &Ctx, args: crate::cli::RunArgs) -> Result<CommandOutput> {
    use crate::engine::TaskFileSource;
    let registry = ctx.registry(&args.registry)?;
    let platforms = Platforms::parse(&args.platform)?;
    let values = super::task::parse_values(&args.set, &args.set_secret)?;
    let context = absolute_context(&args.source)?;
    let task_file = match (&args.cmd, args.file.as_str()) {
        (Some(cmd), _) => TaskFileSource::Inline(crate::engine::steps::inline_cmd_task_file(
            cmd,
            args.timeout,
        )),
        (None, "-") => TaskFileSource::Inline(super::read_stdin("the task file")?),
        (None, path) => TaskFileSource::Path(crate::context::user_file(
            path,
            &ContextLocation::parse(&context),
        )?),
    };
    // A task file read from stdin or given inline is checked now: a bad one queues no run.
    if let TaskFileSource::Inline(text) = &task_file {
        crate::engine::steps::check_syntax(text)?;
    }
    let mut spec = RunSpec::new(
        &registry,
        RunType::QuickRun,
        Some(context),
        platforms.first().clone(),
        args.timeout,
    );
    spec.set_platforms(platforms);
    spec.values = dedup_by_name(values);
    spec.secret_env = EnvVarName::list("--secret-env", &args.secret_env)?;
    apply_login_args(ctx, &mut spec, &args.login);
    let store = ctx.store()?;
    let reached = ctx.set_builder(&store, &mut spec, &args.wait)?;
    spec.plan = RunPlan::Build(Build::TaskFile {
        source: task_file,
        values_file: args.values.clone(),
    });
    start_run(ctx, store, spec, reached, &args.wait, views::RUN)
}
