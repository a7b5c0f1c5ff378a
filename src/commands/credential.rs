//! `task credential add|update|remove|list`: registry logins for a task's runs.

use std::collections::BTreeMap;

use super::{Ctx, find_task, managed_identity_unsupported, task_not_found};
use crate::cli::{CredentialAddArgs, CredentialCommand, CredentialRemoveArgs, TaskNameArgs};
use crate::error::{Result, failed, invalid, not_found};
use crate::model::Task;
use crate::model::registry::validate_login_server;
use crate::model::task::{Credentials, RegistryCredential, SourceRegistryCredentials};
use crate::output::CommandOutput;

pub fn dispatch(ctx: &Ctx, command: CredentialCommand) -> Result<CommandOutput> {
    match command {
        CredentialCommand::Add(args) => add_or_update(ctx, args, false),
        CredentialCommand::Update(args) => add_or_update(ctx, args, true),
        CredentialCommand::Remove(args) => remove(ctx, args),
        CredentialCommand::List(args) => list(ctx, args),
    }
}

fn add_or_update(ctx: &Ctx, args: CredentialAddArgs, is_update: bool) -> Result<CommandOutput> {
    if args.use_identity.is_some() {
        // A script from az that also gives a user and password works; one that relies on
        // the identity alone cannot.
        if args.login.username.is_none() {
            return Err(managed_identity_unsupported());
        }
        ctx.warn(
            "--use-identity is Azure's: acrt has no managed identities and uses the -u and -p \
             login given; ignored",
        );
    }
    let server = args.login_server.trim().to_ascii_lowercase();
    validate_login_server(&server)?;
    let verb = if is_update { "update" } else { "add" };
    let password = super::read_password(&args.login, "the password")?;
    if !is_update && (args.login.username.is_none() || password.is_none()) {
        return Err(invalid(format!(
            "credential add needs a user name (-u) and a password (-p, or --password-stdin to keep it \
             out of the process list) for '{server}'"
        )));
    }
    if is_update && args.login.username.is_none() && password.is_none() {
        return Err(invalid(
            "credential update needs -u, -p or --password-stdin: nothing to change",
        ));
    }
    if password.as_deref() == Some("") {
        return Err(invalid(format!(
            "the password for '{server}' is empty; give the real password"
        )));
    }
    let registry = ctx.registry(&args.task.registry)?;
    let name = &args.task.name;
    let task = ctx
        .store()?
        .update_task(&registry, name, |task| {
            let creds = task.credentials.get_or_insert_with(|| Credentials {
                custom_registries: BTreeMap::new(),
                source_registry: SourceRegistryCredentials::default(),
            });
            match (creds.custom_registries.get_mut(&server), is_update) {
                (Some(_), false) => Err(failed(format!(
                    "the task '{name}' already has credentials for '{server}'; change them with \
                     'acrt task credential update'"
                ))),
                (None, true) => Err(not_found(format!(
                    "the task '{name}' has no credentials for '{server}'; add them with 'acrt task credential add'"
                ))),
                (Some(existing), true) => {
                    if let Some(user) = &args.login.username {
                        existing.user_name = Some(user.clone());
                    }
                    if let Some(p) = &password {
                        existing.password = Some(p.clone());
                    }
                    Ok(())
                }
                (None, false) => {
                    let credential =
                        RegistryCredential { identity: None, password: password.clone(), user_name: args.login.username.clone() };
                    creds.custom_registries.insert(server.clone(), credential);
                    Ok(())
                }
            }
        })?
        .ok_or_else(|| task_not_found(&registry, name))?;
    ctx.info(&format!("credentials for {server}: {verb} done"));
    custom_registries_output(task)
}

fn remove(ctx: &Ctx, args: CredentialRemoveArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.task.registry)?;
    let name = &args.task.name;
    let server = args.login_server.trim().to_ascii_lowercase();
    let task = ctx
        .store()?
        .update_task(&registry, name, |task| {
            let removed = task.credentials.as_mut().and_then(|c| c.custom_registries.remove(&server));
            if removed.is_none() {
                return Err(not_found(format!(
                    "the task '{name}' has no credentials for '{server}'; see them with 'acrt task credential list -n {name}'"
                )));
            }
            Ok(())
        })?
        .ok_or_else(|| task_not_found(&registry, name))?;
    custom_registries_output(task)
}

fn list(ctx: &Ctx, args: TaskNameArgs) -> Result<CommandOutput> {
    let registry = ctx.registry(&args.registry)?;
    let task = find_task(&ctx.store()?, &registry, &args.name)?;
    custom_registries_output(task)
}

/// The map az prints: login server -> {identity, password (null), userName}.
fn custom_registries_output(task: Task) -> Result<CommandOutput> {
    let task = task.without_secrets();
    let map = task
        .credentials
        .map(|c| c.custom_registries)
        .unwrap_or_default();
    // az has no table transformer for it: knack's automatic table of the map (one row, of
    // its scalar fields: here none).
    CommandOutput::value(map)
}
