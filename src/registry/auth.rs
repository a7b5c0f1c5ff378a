//! Registry credentials: a task's own (`task credential add`), then what docker, buildah and
//! podman would find (Docker's config file and credential helpers, Podman's auth file).

use base64::Engine as _;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Result;

#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(from = "StoredLogin")]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// A login as a stored run spec holds it: with its field names, or as the `[user, password]`
/// pair an older acrt wrote.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum StoredLogin {
    Fields { username: String, password: String },
    Pair(String, String),
}

impl From<StoredLogin> for Login {
    fn from(stored: StoredLogin) -> Login {
        match stored {
            StoredLogin::Fields { username, password } | StoredLogin::Pair(username, password) => {
                Login { username, password }
            }
        }
    }
}

/// The user name Docker gives a login whose secret is an identity token (an OAuth2 refresh
/// token, what `docker login` and `az acr login` may keep instead of a password).
const IDENTITY_TOKEN_USER: &str = "<token>";

impl Login {
    /// An identity token as a login.
    pub fn identity_token(token: String) -> Login {
        Login {
            username: IDENTITY_TOKEN_USER.into(),
            password: token,
        }
    }

    /// Whether the secret is an identity token, exchanged at the registry's token service
    /// rather than sent as a password (Docker's rule, also for credential helpers).
    pub fn is_identity_token(&self) -> bool {
        self.username == IDENTITY_TOKEN_USER
    }

    /// Who the login is, for messages.
    pub fn shown_user(&self) -> String {
        if self.is_identity_token() {
            "an identity token".into()
        } else {
            format!("user '{}'", self.username)
        }
    }
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Login({}, ***)", self.username)
    }
}

/// Where to find credentials for a registry, most specific first.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    explicit: BTreeMap<String, Login>,
    /// Set once the logins were looked up ahead ([`Credentials::looked_up`]): no credential
    /// helper runs after that.
    only_explicit: bool,
    /// Registries whose login is only an explicit one (a task's `--auth-mode None`).
    no_default: std::collections::BTreeSet<String>,
}

impl Credentials {
    pub fn with(mut self, registry: &str, login: Login) -> Self {
        self.explicit.insert(registry.to_ascii_lowercase(), login);
        self
    }

    /// The registry credentials of these tasks (`task credential add`).
    pub fn of_tasks<'a>(tasks: impl IntoIterator<Item = &'a crate::model::Task>) -> Credentials {
        let mut creds = Credentials::default();
        for task in tasks {
            for (server, username, password) in task.registry_logins() {
                creds = creds.with(
                    server,
                    Login {
                        username: username.into(),
                        password: password.into(),
                    },
                );
            }
        }
        creds
    }

    /// These credentials without the user's own login for `registry`: only an explicit one
    /// is used there.
    pub fn without_default_login(mut self, registry: &str) -> Self {
        self.no_default.insert(registry.to_ascii_lowercase());
        self
    }

    /// The login for `registry`, if any source has one.
    pub fn lookup(&self, registry: &str) -> Option<Login> {
        let registry = registry.to_ascii_lowercase();
        if let Some(l) = self.explicit.get(&registry) {
            return Some(l.clone());
        }
        if self.only_explicit || self.no_default.contains(&registry) {
            return None;
        }
        docker_login(&registry).or_else(|| podman_login(&registry))
    }

    /// These credentials with the login of each of `registries` looked up now, off the async
    /// runtime: a credential helper is a process that may take its time (or hang), which
    /// must not stall a run's timeout, its Ctrl-C or its parallel steps.
    pub async fn looked_up(self, registries: &[String]) -> Credentials {
        let registries = registries.to_vec();
        let fallback = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut resolved = self.clone();
            for registry in &registries {
                if let Some(login) = self.lookup(registry) {
                    resolved = resolved.with(registry, login);
                }
            }
            resolved.only_explicit = true;
            resolved
        })
        .await
        .unwrap_or(fallback)
    }
}

fn docker_login(registry: &str) -> Option<Login> {
    let candidates: Vec<String> = if registry == crate::model::image::DOCKER_HUB
        || registry == crate::model::image::DOCKER_HUB_API
    {
        vec![
            "https://index.docker.io/v1/".into(),
            "docker.io".into(),
            registry.to_string(),
        ]
    } else {
        vec![registry.to_string()]
    };
    candidates
        .iter()
        .find_map(|server| match docker_credential::get_credential(server) {
            Ok(docker_credential::DockerCredential::UsernamePassword(username, password)) => {
                Some(Login { username, password })
            }
            Ok(docker_credential::DockerCredential::IdentityToken(token)) => {
                Some(Login::identity_token(token))
            }
            Err(_) => None,
        })
}

/// Podman and buildah keep logins in `$REGISTRY_AUTH_FILE`, or `containers/auth.json` under
/// `$XDG_RUNTIME_DIR`, or `~/.config/containers/auth.json`.
fn podman_login(registry: &str) -> Option<Login> {
    let mut files = Vec::new();
    if let Some(f) = std::env::var_os("REGISTRY_AUTH_FILE") {
        files.push(PathBuf::from(f));
    }
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR") {
        files.push(PathBuf::from(d).join("containers/auth.json"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        files.push(PathBuf::from(home).join(".config/containers/auth.json"));
    }
    files.iter().find_map(|f| login_from_auth_file(f, registry))
}

fn login_from_auth_file(path: &Path, registry: &str) -> Option<Login> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    let auth = value["auths"][registry]["auth"].as_str()?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(auth)
        .ok()?;
    let (username, password) = String::from_utf8(decoded)
        .ok()?
        .split_once(':')
        .map(|(u, p)| (u.to_string(), p.to_string()))?;
    Some(Login { username, password })
}

/// A temporary containers-auth file for a builder, holding the logins of `registries`.
/// 0600, removed when dropped: passwords never go on a builder's command line.
pub struct AuthFile {
    path: PathBuf,
}

impl AuthFile {
    pub fn write(dir: &Path, credentials: &Credentials, registries: &[String]) -> Result<AuthFile> {
        Self::write_named(dir, "auth.json", credentials, registries)
    }

    pub fn write_named(
        dir: &Path,
        name: &str,
        credentials: &Credentials,
        registries: &[String],
    ) -> Result<AuthFile> {
        let mut auths = Map::new();
        for registry in registries {
            if let Some(login) = credentials.lookup(registry) {
                auths.insert(registry.clone(), auth_entry(&login));
            }
        }
        let path = dir.join(name);
        let mut file = crate::host::create_private(&path, true)?;
        file.write_all(serde_json::to_string(&json!({ "auths": auths }))?.as_bytes())?;
        Ok(AuthFile { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// A login as containers' and Docker's auth files keep it: `auth` (user:password), or an
/// identity token beside an empty `auth`, which the builder exchanges at the token service.
fn auth_entry(login: &Login) -> Value {
    let encode = |text: String| base64::engine::general_purpose::STANDARD.encode(text);
    if login.is_identity_token() {
        json!({ "auth": encode(format!("{IDENTITY_TOKEN_USER}:")), "identitytoken": login.password })
    } else {
        json!({ "auth": encode(format!("{}:{}", login.username, login.password)) })
    }
}

impl Drop for AuthFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_login_reads_as_stored_now_and_as_an_older_acrt_stored_it() {
        let login = Login {
            username: "u".into(),
            password: "p".into(),
        };
        let now: Login = serde_json::from_value(serde_json::to_value(&login).unwrap()).unwrap();
        let older: Login = serde_json::from_value(json!(["u", "p"])).unwrap();
        assert_eq!((now, older), (login.clone(), login));
    }

    #[test]
    fn auth_file_is_private_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let creds = Credentials::default().with(
            "localhost:5001",
            Login {
                username: "u".into(),
                password: "p".into(),
            },
        );
        let path = {
            let file = AuthFile::write(dir.path(), &creds, &["localhost:5001".into()]).unwrap();
            let mode = std::fs::metadata(file.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
            let v: Value =
                serde_json::from_str(&std::fs::read_to_string(file.path()).unwrap()).unwrap();
            assert_eq!(v["auths"]["localhost:5001"]["auth"], "dTpw");
            assert_eq!(
                login_from_auth_file(file.path(), "localhost:5001")
                    .unwrap()
                    .password,
                "p"
            );
            file.path().to_path_buf()
        };
        assert!(!path.exists());
    }

    #[test]
    fn debug_hides_the_password() {
        let l = Login {
            username: "u".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{l:?}").contains("hunter2"));
    }
}
