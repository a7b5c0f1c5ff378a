//! Authorization for every request acrt sends a registry, in one place: the registry's
//! challenge (`GET /v2/`, asked once), and for a registry with a token service (Docker Hub,
//! ACR, GHCR, Quay, Harbor...) bearer tokens fetched once per registry, login and set of
//! scopes, and used for every request they cover until they expire. One cache per process,
//! shared by every client: a copy asks once for what its blobs, mounts and manifests need.
//!
//! A login's password goes to the realm as Basic credentials; an identity token (what
//! `docker login` and `az acr login` keep instead of a password, an OAuth2 refresh token) is
//! exchanged with the refresh-token grant. A realm gets either only over https, or plain http
//! where acrt speaks plain http anyway ([`challenge::check_realm`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sha2::{Digest as _, Sha256};

use super::Login;
use super::challenge::{self, Challenge};
use crate::error::{Result, clip_text, failed};

/// What a token is asked for: one repository, to pull or to pull and push.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope {
    pub repository: String,
    pub push: bool,
}

impl Scope {
    pub fn pull(repository: &str) -> Scope {
        Scope {
            repository: repository.to_string(),
            push: false,
        }
    }

    pub fn push(repository: &str) -> Scope {
        Scope {
            repository: repository.to_string(),
            push: true,
        }
    }

    /// As the distribution spec writes it: `repository:NAME:pull,push`.
    fn text(&self) -> String {
        let actions = if self.push { "pull,push" } else { "pull" };
        format!("repository:{}:{actions}", self.repository)
    }

    /// Whether a token for `self` serves a request that needs `wanted`.
    fn covers(&self, wanted: &Scope) -> bool {
        self.repository == wanted.repository && (self.push || !wanted.push)
    }
}

/// A token and the scopes it was asked for, used until a little before it expires.
struct Held {
    scopes: Vec<Scope>,
    token: String,
    until: Instant,
}

/// The tokens of one login at one registry.
type Wallet = Arc<tokio::sync::Mutex<Vec<Held>>>;

/// A token's life when the token service does not say (the distribution spec's default).
const DEFAULT_TOKEN_LIFE: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct Tokens {
    http: super::http::Clients,
    challenges: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Challenge>>>>,
    wallets: Mutex<HashMap<(String, String), Wallet>>,
}

/// The process's one cache.
pub fn tokens() -> &'static Tokens {
    static TOKENS: OnceLock<Tokens> = OnceLock::new();
    TOKENS.get_or_init(Tokens::default)
}

/// What a request carries: nothing, a login, or a token.
#[derive(Clone, PartialEq, Eq)]
pub enum Authorization {
    None,
    Basic(Login),
    Bearer(String),
}

/// Never the token itself (the login's Debug hides its password).
impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Authorization::None => f.write_str("None"),
            Authorization::Basic(l) => write!(f, "Basic({l:?})"),
            Authorization::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

impl Authorization {
    /// The Authorization header's value.
    pub fn header(&self) -> Option<String> {
        use base64::Engine as _;
        match self {
            Authorization::None => None,
            Authorization::Basic(l) => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{}:{}", l.username, l.password))
            )),
            Authorization::Bearer(token) => Some(format!("Bearer {token}")),
        }
    }
}

impl Tokens {
    /// Forgets what registries answered to `GET /v2/` (a watcher's new cycle asks again);
    /// tokens are kept until they expire.
    pub fn new_cycle(&self) {
        lock(&self.challenges).clear();
        let now = Instant::now();
        for wallet in lock(&self.wallets).values() {
            if let Ok(mut held) = wallet.try_lock() {
                held.retain(|h| h.until > now);
            }
        }
    }

    /// What a request to `registry` needing `scopes` carries, with `login` if any.
    pub async fn authorization(
        &self,
        registry: &str,
        scopes: &[Scope],
        login: Option<&Login>,
    ) -> Result<Authorization> {
        match self.challenge(registry).await? {
            Challenge::Open => Ok(Authorization::None),
            Challenge::Basic => Ok(login
                .cloned()
                .map_or(Authorization::None, Authorization::Basic)),
            Challenge::Bearer { realm, service } => {
                let wallet = self.wallet(registry, login);
                let mut held = wallet.lock().await;
                let now = Instant::now();
                held.retain(|h| h.until > now);
                let covering = held.iter().find(|h| {
                    scopes
                        .iter()
                        .all(|want| h.scopes.iter().any(|s| s.covers(want)))
                });
                if let Some(h) = covering {
                    return Ok(Authorization::Bearer(h.token.clone()));
                }
                let realm = Realm {
                    registry,
                    url: &realm,
                    service: service.as_deref(),
                };
                let what = format!("the token service of registry {registry} ({})", realm.url);
                let (token, life) =
                    within_deadline(&what, realm.fetch(self, scopes, login)).await?;
                let margin = (life / 10).min(Duration::from_secs(10));
                held.push(Held {
                    scopes: scopes.to_vec(),
                    token: token.clone(),
                    until: now + life.saturating_sub(margin),
                });
                Ok(Authorization::Bearer(token))
            }
        }
    }

    /// After a 401 to a request that carried a token or a login: the registry's challenge is
    /// asked again, and its tokens for this login fetched again.
    pub fn forget(&self, registry: &str, login: Option<&Login>) {
        lock(&self.challenges).remove(registry);
        lock(&self.wallets).remove(&(registry.to_string(), who(login)));
    }

    /// The registry's answer to `GET /v2/`, asked once.
    pub async fn challenge(&self, registry: &str) -> Result<Challenge> {
        let cell = lock(&self.challenges)
            .entry(registry.to_string())
            .or_default()
            .clone();
        let url = format!("{}://{registry}/v2/", super::scheme(registry));
        let what = format!("registry {registry} ({url})");
        cell.get_or_try_init(|| {
            within_deadline(&what, async {
                let response = self
                    .http
                    .for_url(&url)?
                    .get(&url)
                    .send()
                    .await
                    .map_err(|e| unreachable(registry, &url, &e))?;
                let status = response.status();
                if status == StatusCode::TOO_MANY_REQUESTS {
                    return Err(rate_limited(registry, &url, &response));
                }
                if status.is_server_error() {
                    return Err(failed(format!(
                        "registry {registry} answered {url} with {status}; try again later"
                    )));
                }
                Ok(challenge::of_response(&response))
            })
        })
        .await
        .cloned()
    }

    /// The HTTP client for `url` (plain http or https, with the user's CA).
    pub fn http(&self, url: &str) -> Result<&reqwest::Client> {
        self.http.for_url(url)
    }

    fn wallet(&self, registry: &str, login: Option<&Login>) -> Wallet {
        lock(&self.wallets)
            .entry((registry.to_string(), who(login)))
            .or_default()
            .clone()
    }
}

/// A registry's token service.
struct Realm<'a> {
    registry: &'a str,
    url: &'a str,
    service: Option<&'a str>,
}

impl Realm<'_> {
    /// A token for `scopes`: a GET with the login as Basic credentials (or none), or for an
    /// identity token a POST of the refresh-token grant.
    async fn fetch(
        &self,
        tokens: &Tokens,
        scopes: &[Scope],
        login: Option<&Login>,
    ) -> Result<(String, Duration)> {
        if login.is_some() {
            challenge::check_realm(self.registry, self.url)?;
        }
        let http = tokens.http.for_url(self.url)?;
        let scope_texts: Vec<String> = scopes.iter().map(Scope::text).collect();
        let request = match login {
            Some(l) if l.is_identity_token() => {
                let mut form = vec![
                    ("grant_type", "refresh_token".to_string()),
                    ("refresh_token", l.password.clone()),
                    ("client_id", "acrt".to_string()),
                    ("scope", scope_texts.join(" ")),
                ];
                form.extend(self.service.map(|s| ("service", s.to_string())));
                http.post(self.url).form(&form)
            }
            _ => {
                let mut query: Vec<(&str, &str)> =
                    scope_texts.iter().map(|s| ("scope", s.as_str())).collect();
                query.extend(self.service.map(|s| ("service", s)));
                let request = http.get(self.url).query(&query);
                match login {
                    Some(l) => request.basic_auth(&l.username, Some(&l.password)),
                    None => request,
                }
            }
        };
        let response = request.send().await.map_err(|e| self.unreachable(&e))?;
        let status = response.status();
        if !status.is_success() {
            let mut response = response;
            let body = super::read_at_most(&mut response, crate::error::MAX_ERROR_TEXT)
                .await
                .map(|(b, _)| b)
                .unwrap_or_default();
            return Err(self.refused(status, login, &String::from_utf8_lossy(&body)));
        }
        let body: serde_json::Value = response.json().await.map_err(|e| {
            failed(format!(
                "the token service of registry {} ({}) sent an answer that is not a token ({e})",
                self.registry, self.url
            ))
        })?;
        let token = body["token"]
            .as_str()
            .or(body["access_token"].as_str())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                failed(format!(
                    "the token service of registry {} ({}) sent no token",
                    self.registry, self.url
                ))
            })?;
        let life = body["expires_in"]
            .as_u64()
            .filter(|s| *s > 0)
            .map_or(DEFAULT_TOKEN_LIFE, Duration::from_secs);
        Ok((token.to_string(), life))
    }

    fn unreachable(&self, e: &reqwest::Error) -> anyhow::Error {
        if e.is_timeout() {
            return timed_out(&format!(
                "the token service of registry {} ({})",
                self.registry, self.url
            ));
        }
        super::unreachable(
            self.registry,
            &format!(
                "the token service of registry {} ({}) cannot be reached",
                self.registry, self.url
            ),
            e,
        )
    }

    /// The service's refusal: a login it does not take, or a failure of its own.
    fn refused(&self, status: StatusCode, login: Option<&Login>, body: &str) -> anyhow::Error {
        let (registry, url) = (self.registry, self.url);
        let said = clip_text(body.trim());
        match (status, login) {
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, Some(l)) => refused(format!(
                "registry {registry} refused the login of {} (its token service {url} answered \
                 {status}); check the user name and password, or the identity token \
                 ('acrt login -r {registry}', or 'acrt task credential update' for a task's login)",
                l.shown_user()
            )),
            (StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN, None) => refused(format!(
                "registry {registry} wants a login (its token service {url} answered {status} \
                 without one); log in with 'acrt login -r {registry}'"
            )),
            _ => super::Outcome::TokenService.error(
                &format!(
                    "the token service of registry {registry} ({url}) failed with {status}: {said}"
                ),
                "this is the service's own failure, not the login's: try again later",
            ),
        }
    }
}

/// What a registry's 401 or 403 to a request for `repository` means, in one place: a login
/// that may not `action` there (the token was given, without that right: the registry says
/// `insufficient_scope`, or 403), a login refused, or none given where one is needed.
pub fn refusal(
    response: &reqwest::Response,
    registry: &str,
    repository: &str,
    action: &str,
    login: Option<&Login>,
) -> String {
    let insufficient = super::Outcome::of_response(response) == super::Outcome::InsufficientScope;
    match login {
        Some(l) if insufficient => format!(
            "{} may not {action} {repository} on {registry}: the login was taken, the right \
             was not given; ask the registry's owner for it, or use a login that has it",
            l.shown_user()
        ),
        Some(l) => format!(
            "registry {registry} refused the login of {}; check the user name and password \
             ('acrt login -r {registry}', or 'acrt task credential update' for a task's login)",
            l.shown_user()
        ),
        None => format!(
            "registry {registry} wants a login to {action} {repository}; log in with \
             'acrt login -r {registry} -u USER --password-stdin'"
        ),
    }
}

/// A 429, typed with the registry's Retry-After: watch backs off that registry.
fn rate_limited(registry: &str, url: &str, response: &reqwest::Response) -> anyhow::Error {
    super::Outcome::RateLimited {
        retry_after: super::retry_after_of(response),
    }
    .error(&format!("registry {registry}: rate limited on {url}"), "")
}

/// A login refused, typed so that callers tell it from a failure of the service.
fn refused(message: String) -> anyhow::Error {
    super::Outcome::Refused.error(&message, "")
}

/// Whose tokens: a hash of the login (never the login itself as a key).
fn who(login: Option<&Login>) -> String {
    login.map_or_else(String::new, |l| {
        format!(
            "{:x}",
            Sha256::digest(format!("{}\0{}", l.username, l.password))
        )
    })
}

/// `request` within the request deadline; past it, an error that says so and how to allow
/// more time.
async fn within_deadline<T>(
    what: &str,
    request: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    let deadline = super::settings().request_timeout;
    tokio::time::timeout(deadline, request)
        .await
        .unwrap_or_else(|_| Err(timed_out(what)))
}

fn timed_out(what: &str) -> anyhow::Error {
    failed(format!(
        "{what}: timed out after {} s; check that it is up and reachable, or allow more time \
         with 'acrt config set core.registry_timeout=SECONDS'",
        super::settings().request_timeout.as_secs()
    ))
}

fn unreachable(registry: &str, url: &str, e: &reqwest::Error) -> anyhow::Error {
    if e.is_timeout() {
        return timed_out(&format!("registry {registry} ({url})"));
    }
    super::unreachable(
        registry,
        &format!("registry {registry}: cannot reach {url}"),
        e,
    )
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_scope_covers_a_pull_of_its_repository_only() {
        let push = Scope::push("app");
        assert!(push.covers(&Scope::pull("app")) && push.covers(&Scope::push("app")));
        assert!(!Scope::pull("app").covers(&Scope::push("app")));
        assert!(!push.covers(&Scope::pull("other")));
        assert_eq!(push.text(), "repository:app:pull,push");
    }
}
