//! `acrt import`, `acrt login`, `acrt logout`.

use std::io::{IsTerminal, Write as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::Ctx;
use crate::attest::{self, BuildFacts, Signer};
use crate::cli::{ImportArgs, LoginArgs, LogoutArgs};
use crate::engine::runtime;
use crate::error::{Result, failed, invalid};
use crate::model::image::ImageRef;
use crate::model::registry::resolve_login_server;
use crate::model::run::Attestation;
use crate::output::CommandOutput;
use crate::registry::copy::{Copied, CopyStats, copy_image};
use crate::registry::login::{remove_login, store_login, verify_login};
use crate::registry::{Credentials, Login, RegistryClient};

/// `import --no-wait`: the same import, by a detached acrt process; the password goes to it
/// on its stdin, never in its arguments.
fn import_in_background(args: &ImportArgs, login: Option<(&str, String)>) -> Result<()> {
    use std::os::unix::process::CommandExt as _;
    let exe = std::env::current_exe()?;
    let mut cmd = std::process::Command::new(exe);
    cmd.args([
        "import",
        "-n",
        &args.name,
        "--source",
        &args.source,
        "-o",
        "none",
    ]);
    if let Some(r) = &args.registry {
        cmd.args(["-r", r]);
    }
    for t in &args.image {
        cmd.args(["-t", t]);
    }
    for r in &args.repository {
        cmd.args(["--repository", r]);
    }
    if args.force {
        cmd.arg("--force");
    }
    if let Some((user, _)) = &login {
        cmd.args(["-u", user, "--password-stdin"]);
    }
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0);
    let mut child = cmd.spawn().map_err(|e| {
        crate::host::cannot_start(&cmd, &e, "acrt's own executable is gone; install it again")
    })?;
    let mut stdin = child.stdin.take().expect("piped");
    if let Some((_, password)) = login {
        stdin.write_all(password.as_bytes())?;
    }
    drop(stdin);
    Ok(())
}

pub fn import(ctx: &Ctx, args: ImportArgs) -> Result<CommandOutput> {
    let target_registry = resolve_login_server(&args.name, &ctx.settings.file.registry_aliases)?;
    let source_registry = args
        .registry
        .as_deref()
        .map(|r| resolve_login_server(r, &ctx.settings.file.registry_aliases))
        .transpose()?;
    let given_source = ctx.images_on_aliases(std::slice::from_ref(&args.source));
    let source = ImageRef::parse_in(&given_source[0], source_registry.as_deref())?;
    let password = super::read_password(&args.login, "the source registry's password")?;
    let mut src_creds = Credentials::default();
    match (&args.login.username, password) {
        (Some(u), Some(p)) => {
            src_creds = src_creds.with(
                source.api_registry(),
                Login {
                    username: u.clone(),
                    password: p,
                },
            )
        }
        (None, None) => {}
        _ => {
            return Err(invalid(
                "give both -u and a password (-p or --password-stdin) for the source registry, or neither",
            ));
        }
    }

    let mut targets: Vec<ImageRef> = Vec::new();
    for t in &ctx.images_on_aliases(&args.image) {
        targets.push(ImageRef::parse_in(t, Some(&target_registry))?);
    }
    for repo in &args.repository {
        let probe = ImageRef::parse_in(&format!("{repo}:x"), Some(&target_registry))?;
        targets.push(ImageRef {
            tag: None,
            digest: None,
            ..probe
        });
    }
    if targets.is_empty() {
        targets.push(ImageRef {
            registry: target_registry.clone(),
            repository: source.repository.clone(),
            tag: source.tag.clone(),
            digest: None,
        });
    }

    // A signing key that cannot be read (or decrypted) fails the import before it copies.
    let signer = crate::attest::configured_signer()?;
    if args.no_wait {
        let login = args
            .login
            .username
            .as_deref()
            .zip(src_creds.lookup(source.api_registry()).map(|l| l.password));
        import_in_background(&args, login)?;
        return Ok(CommandOutput::Nothing);
    }
    let rt = runtime()?;
    let src = RegistryClient::new(src_creds, &[source.api_registry().to_string()]);
    let dst = RegistryClient::for_pushing(
        Credentials::default(),
        std::slice::from_ref(&target_registry),
    );
    // A login that may not push is said before anything is copied.
    for target in &targets {
        let login = Credentials::default().lookup(target.api_registry());
        let fix = format!("log in with 'acrt login -r {}'", target.registry);
        rt.block_on(crate::registry::login::check_push(
            target,
            login.as_ref(),
            &fix,
        ))?;
    }

    // An existing tag is left alone unless --force: checked for every target before copying.
    if !args.force {
        for target in targets.iter().filter(|t| t.tag.is_some()) {
            if let Some(digest) = rt.block_on(existing_digest(&dst, target))? {
                return Err(failed(format!(
                    "{target} already exists (digest {digest}); pass --force to overwrite it, or pick another name with -t"
                )));
            }
        }
    }

    let counter = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} {bytes} copied ({bytes_per_sec})",
            )
            .expect("template"),
        );
        bar.set_message(format!("importing {source}"));
        let (bar2, counter, done) = (bar.clone(), counter.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                bar2.set_position(counter.load(Ordering::Relaxed));
                bar2.tick();
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        });
        bar
    });
    let mut stats = CopyStats::default();
    let mut copied = Vec::new();
    let mut made = None;
    for target in &targets {
        let copy = rt.block_on(copy_image(
            &src, &dst, &source, target, &counter, &mut stats,
        ))?;
        copied.push(match &target.tag {
            Some(_) => target.to_string(),
            None => format!(
                "{}/{}@{}",
                target.registry, target.repository, copy.manifest.digest
            ),
        });
        made = Some(copy);
    }
    done.store(true, Ordering::Relaxed);
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let made = made.ok_or_else(|| invalid("nothing to import to: give -t or --repository"))?;
    let mut out = serde_json::json!({
        "source": source.to_string(),
        "digest": made.manifest.digest,
        "targets": copied,
        "blobsCopied": stats.blobs_copied,
        "blobsMounted": stats.blobs_mounted,
        "blobsSkipped": stats.blobs_skipped,
        "bytesCopied": stats.bytes_copied,
        "manifests": stats.manifests,
    });
    if let Some(signer) = signer {
        let attestations =
            rt.block_on(sign_copies(ctx, &dst, &source, &targets, &made, &signer))?;
        out["attestations"] = serde_json::to_value(attestations)?;
    }
    CommandOutput::value(out)
}

/// Signs the copy in each target repository and attaches its provenance (once per
/// repository, naming every target in it): the import as its build definition, the source's
/// digest as what it resolved.
async fn sign_copies(
    ctx: &Ctx,
    dst: &RegistryClient,
    source: &ImageRef,
    targets: &[ImageRef],
    made: &Copied,
    signer: &Signer,
) -> Result<Vec<Attestation>> {
    let mut repositories: Vec<&ImageRef> = Vec::new();
    for target in targets {
        if !repositories
            .iter()
            .any(|r| r.registry == target.registry && r.repository == target.repository)
        {
            repositories.push(target);
        }
    }
    let dependency = source.without_digest().to_string();
    let mut attestations = Vec::new();
    for repository in repositories {
        let images = targets
            .iter()
            .filter(|t| t.registry == repository.registry && t.repository == repository.repository)
            .map(|t| t.without_digest().to_string())
            .collect();
        let facts = BuildFacts::copy(
            &repository.registry,
            (&source.to_string(), &dependency),
            &made.manifest.digest,
            made.platforms.clone(),
            images,
        );
        let attached = attest::attest_image(
            dst,
            repository,
            attest::Subject::Manifest(&made.manifest),
            &facts,
            signer,
        )
        .await
        .map_err(|e| {
            e.context(format!(
                "{repository} was copied but could not be signed; run the import again \
                     with --force"
            ))
        })?;
        let name = format!("{}/{}", repository.registry, repository.repository);
        ctx.info(&attached.log_line(&name, &made.manifest.digest));
        attestations.push(attached.record(&name, &made.manifest.digest));
    }
    Ok(attestations)
}

/// The digest a target tag has now, or None when the registry does not have it.
async fn existing_digest(client: &RegistryClient, target: &ImageRef) -> Result<Option<String>> {
    match client.head_digest(target).await {
        Ok(d) => Ok(Some(d)),
        Err(e) if crate::registry::Outcome::of_error(&e).is_some_and(|o| o.is_missing()) => {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

pub fn login(ctx: &Ctx, mut args: LoginArgs) -> Result<CommandOutput> {
    if let Some(name) = args.name.take() {
        args.registry.registry = Some(name);
    }
    let registry = ctx.registry(&args.registry)?;
    // A person at a terminal is asked, as docker login asks; a script must say.
    let terminal = std::io::stdin().is_terminal() && !args.login.password_stdin;
    let username = match args.login.username.clone() {
        Some(user) => user,
        None if terminal => prompt_line("Username: ")?,
        None => {
            return Err(invalid(
                "acrt login needs -u USER (and --password-stdin or -p)",
            ));
        }
    };
    let password = match super::read_password(&args.login, "the password")? {
        Some(password) => password,
        // Typed without an echo.
        None if terminal => rpassword::prompt_password("Password: ")?,
        None => {
            return Err(invalid(
                "acrt login needs a password: pipe it to --password-stdin (or pass -p)",
            ));
        }
    };
    if args.suffix.is_some() {
        ctx.warn("--suffix is Azure's: acrt logs in to the login server as given; ignored");
    }
    let token = runtime()?.block_on(verify_login(&registry, &username, &password))?;
    if args.expose_token {
        // az's shape; nothing is stored.
        return CommandOutput::value(serde_json::json!({
            "accessToken": token,
            "loginServer": registry,
        }));
    }
    let place = store_login(&registry, &username, &password)?;
    ctx.status(&format!("Login Succeeded: {registry} (stored in {place})"));
    Ok(CommandOutput::Nothing)
}

/// A line typed at the terminal, after `prompt` on stderr.
fn prompt_line(prompt: &str) -> Result<String> {
    eprint!("{}", crate::echo::escape_controls(prompt));
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

pub fn logout(ctx: &Ctx, args: LogoutArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    if remove_login(&registry)? {
        ctx.status(&format!("Removed the login for {registry}"));
    } else {
        ctx.status(&format!("Not logged in to {registry}"));
    }
    Ok(CommandOutput::Nothing)
}
