//! Which login reads a base: the logins the base's own tasks stored for its registry (`task
//! credential add`), in task order, then the user's own (`acrt login`, Docker's and Podman's
//! files). Never another task's: two tasks with different logins to one registry each read
//! their bases with their own.

use std::collections::BTreeMap;

use super::index::WatchedTask;
use crate::registry::{Credentials, Login, RegistryClient};
use crate::store::WatchedBase;

/// A task whose stored login is tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub task_registry: String,
    pub task: String,
    pub server: String,
    pub user: String,
}

impl Owner {
    /// The row that says this login was refused (and was reported).
    pub fn refused_row(&self) -> crate::store::RefusedLogin {
        crate::store::RefusedLogin {
            task_registry: self.task_registry.clone(),
            task: self.task.clone(),
            server: self.server.clone(),
        }
    }

    /// What to do about the login being refused.
    pub fn fix(&self) -> String {
        format!(
            "the login stored for task {} (user {}) was refused by {}: fix it with 'acrt task credential update -n {} -r {} --login-server {} -u {} --password-stdin'",
            self.task,
            self.user,
            self.server,
            self.task,
            self.task_registry,
            self.server,
            self.user
        )
    }
}

/// Clients for every login some base may be read with (one per distinct login), and each
/// one's login for the manifest probe (looked up once: no credential helper runs per base).
pub struct Logins {
    pub clients: Vec<RegistryClient>,
    pub logins: Vec<Option<Login>>,
}

/// One login to try for a base: the client, and the task whose stored login it is (None:
/// the user's own).
pub type Try = (usize, Option<Owner>);

impl Logins {
    pub fn new() -> Logins {
        Logins {
            clients: Vec::new(),
            logins: Vec::new(),
        }
    }

    /// The clients to try for a base of `registry` (as the API is reached: `api_registry`),
    /// given the tasks that depend on it.
    pub fn candidates(
        &mut self,
        tasks: &BTreeMap<(String, String), WatchedTask>,
        dependents: &[WatchedBase],
        registry: &str,
        api_registry: &str,
        known: &mut BTreeMap<String, usize>,
    ) -> Vec<Try> {
        let mut out: Vec<Try> = Vec::new();
        for base in dependents {
            let Some(task) = tasks.get(&(base.task_registry.clone(), base.task.clone())) else {
                continue;
            };
            for (server, user, password) in &task.logins {
                if !server.eq_ignore_ascii_case(registry) {
                    continue;
                }
                let id = format!("{api_registry}\u{0}{user}\u{0}{password}");
                let index = *known.entry(id).or_insert_with(|| {
                    let login = Login {
                        username: user.to_string(),
                        password: password.to_string(),
                    };
                    let credentials = Credentials::default()
                        .with(registry, login.clone())
                        .with(api_registry, login.clone());
                    self.clients.push(RegistryClient::new(
                        credentials,
                        &[api_registry.to_string()],
                    ));
                    self.logins.push(Some(login));
                    self.clients.len() - 1
                });
                let owner = Owner {
                    task_registry: base.task_registry.clone(),
                    task: base.task.clone(),
                    server: server.to_string(),
                    user: user.to_string(),
                };
                if !out
                    .iter()
                    .any(|(i, o): &Try| *i == index && o.as_ref() == Some(&owner))
                {
                    out.push((index, Some(owner)));
                }
            }
        }
        let own = format!("{api_registry}\u{0}(the user's own)");
        let index = *known.entry(own).or_insert_with(|| {
            let own = Credentials::default();
            self.logins.push(own.lookup(api_registry));
            self.clients
                .push(RegistryClient::new(own, &[api_registry.to_string()]));
            self.clients.len() - 1
        });
        out.push((index, None));
        out
    }
}
