//! Watch's manifest check: one HEAD per base. The registry's auth answer to `GET /v2/` (open,
//! basic, or a bearer realm) is asked once per registry per cycle, and bearer tokens are kept
//! per scope until they expire. oci-client asks `GET /v2/` before every request to a
//! registry that sends no challenge, falls back to a GET when a 429 carries no digest, and
//! keeps a 429's Retry-After from its caller: a poll over hundreds of bases can afford none
//! of that. Pulls, pushes and copies stay on oci-client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use sha2::{Digest as _, Sha256};

use super::challenge::{self, Challenge};
use super::{
    Login, MANIFEST_MEDIA_TYPES, MAX_MANIFEST_BYTES, header_digest,
    manifest_too_large, read_at_most, tls_hint,
};
use crate::error::{Error, Result, failed};
use crate::model::image::ImageRef;

/// Whose token for what: (registry, repository, a hash of the login).
type TokenKey = (String, String, String);

/// A token and when it stops being used.
type CachedToken = Option<(String, Instant)>;

/// Manifest HEADs with auth answers and tokens cached; one per watcher.
pub struct ManifestProbe {
    http: super::http::Clients,
    challenges: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Challenge>>>>,
    tokens: Mutex<HashMap<TokenKey, Arc<tokio::sync::Mutex<CachedToken>>>>,
}

/// A token's life when the token service does not say (the distribution spec's default).
const DEFAULT_TOKEN_LIFE: Duration = Duration::from_secs(60);

impl ManifestProbe {
    pub fn new() -> Result<ManifestProbe> {
        Ok(ManifestProbe {
            http: super::http::Clients::default(),
            challenges: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
        })
    }

    fn http(&self, url: &str) -> Result<&reqwest::Client> {
        self.http.for_url(url)
    }

    /// Forgets what registries answered to `GET /v2/` (asked again once per registry next
    /// cycle); tokens are kept until they expire.
    pub fn new_cycle(&self) {
        self.challenges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        let now = Instant::now();
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|_, t| {
                t.try_lock()
                    .map_or(true, |t| t.as_ref().is_some_and(|(_, until)| *until > now))
            });
    }

    /// The digest `image`'s tag points to now: one HEAD (a GET only when the registry's HEAD
    /// names no digest). A 5xx or a dropped connection is tried once more; a 429 never is:
    /// its Retry-After goes back in [`Error::RateLimited`].
    pub async fn digest(&self, image: &ImageRef, login: Option<&Login>) -> Result<String> {
        let registry = image.api_registry();
        let mut challenge = self.challenge(image).await?;
        let mut retried = false;
        loop {
            let auth = self.authorization(image, &challenge, login).await?;
            let response = match self.send(Method::HEAD, image, auth.as_deref()).await? {
                // A dropped connection is tried once more; a registry that held the request
                // until the deadline is not: it would hold the next one as long.
                Err(e) if !retried && !e.is_timeout() => {
                    retried = true;
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    continue;
                }
                other => other.map_err(|e| unreachable(image, &e))?,
            };
            let status = response.status();
            // Under a basic challenge a 401 is the login refused: asking again changes nothing.
            if status == StatusCode::UNAUTHORIZED && !retried && challenge != Challenge::Basic {
                // The registry's auth changed since it was asked (or a token expired early).
                retried = true;
                self.forget(registry, &challenge, image, login);
                challenge = self.challenge(image).await?;
                continue;
            }
            if status.is_server_error() && !retried {
                retried = true;
                tokio::time::sleep(Duration::from_millis(500)).await;
                continue;
            }
            if !status.is_success() {
                return Err(status_error(image, &response, login.is_some()));
            }
            if let Some(digest) = header_digest(&response) {
                return Ok(digest);
            }
            return self.get_and_hash(image, auth.as_deref()).await;
        }
    }

    /// The registry's auth answer, asked once per cycle however many bases are checked.
    async fn challenge(&self, image: &ImageRef) -> Result<Challenge> {
        let registry = image.api_registry().to_string();
        let cell = self
            .challenges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(registry.clone())
            .or_default()
            .clone();
        cell.get_or_try_init(|| async {
            let url = format!("{}://{registry}/v2/", super::scheme(&registry));
            let response = self
                .http(&url)?
                .get(url)
                .send()
                .await
                .map_err(|e| unreachable(image, &e))?;
            let status = response.status();
            if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
                return Err(status_error(image, &response, false));
            }
            Ok(challenge::of_response(&response))
        })
        .await
        .cloned()
    }

    /// The Authorization header for a request under `challenge`.
    async fn authorization(
        &self,
        image: &ImageRef,
        challenge: &Challenge,
        login: Option<&Login>,
    ) -> Result<Option<String>> {
        use base64::Engine as _;
        match (challenge, login) {
            (Challenge::Open, _) | (Challenge::Basic, None) => Ok(None),
            (Challenge::Basic, Some(l)) => Ok(Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD
                    .encode(format!("{}:{}", l.username, l.password))
            ))),
            (Challenge::Bearer { realm, service }, _) => {
                let slot = self.token_slot(image, login);
                let mut slot = slot.lock().await;
                if let Some((token, until)) = slot.as_ref()
                    && *until > Instant::now()
                {
                    return Ok(Some(format!("Bearer {token}")));
                }
                let (token, life) = self.fetch_token(image, realm, service, login).await?;
                let header = format!("Bearer {token}");
                // A token is used until a little before it expires.
                let margin = (life / 10).min(Duration::from_secs(10));
                *slot = Some((token, Instant::now() + life.saturating_sub(margin)));
                Ok(Some(header))
            }
        }
    }

    fn token_slot(
        &self,
        image: &ImageRef,
        login: Option<&Login>,
    ) -> Arc<tokio::sync::Mutex<CachedToken>> {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(token_key(image, login))
            .or_default()
            .clone()
    }

    /// A pull token for `image`'s repository from the registry's token service.
    async fn fetch_token(
        &self,
        image: &ImageRef,
        realm: &str,
        service: &Option<String>,
        login: Option<&Login>,
    ) -> Result<(String, Duration)> {
        let scope = format!("repository:{}:pull", image.repository);
        let mut query = vec![("scope", scope.as_str())];
        if let Some(s) = service {
            query.push(("service", s.as_str()));
        }
        let mut request = self.http(realm)?.get(realm).query(&query);
        if let Some(l) = login {
            challenge::check_realm(&image.registry, realm)?;
            request = request.basic_auth(&l.username, Some(&l.password));
        }
        let response = request.send().await.map_err(|e| unreachable(image, &e))?;
        if !response.status().is_success() {
            return Err(status_error(image, &response, login.is_some()));
        }
        let body: serde_json::Value = response.json().await.map_err(|e| {
            failed(format!(
                "registry {}: its token service sent an answer that is not a token ({e})",
                image.registry
            ))
        })?;
        let token = body["token"]
            .as_str()
            .or(body["access_token"].as_str())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                failed(format!(
                    "registry {}: its token service sent no token",
                    image.registry
                ))
            })?;
        let life = body["expires_in"]
            .as_u64()
            .filter(|s| *s > 0)
            .map_or(DEFAULT_TOKEN_LIFE, Duration::from_secs);
        Ok((token.to_string(), life))
    }

    /// After a 401: the registry's answer and this scope's token are asked for again.
    fn forget(
        &self,
        registry: &str,
        challenge: &Challenge,
        image: &ImageRef,
        login: Option<&Login>,
    ) {
        self.challenges
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(registry);
        if matches!(challenge, Challenge::Bearer { .. }) {
            self.tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&token_key(image, login));
        }
    }

    async fn send(
        &self,
        method: Method,
        image: &ImageRef,
        auth: Option<&str>,
    ) -> Result<reqwest::Result<reqwest::Response>> {
        let url = super::manifest_url(image);
        let mut request = self
            .http(&url)?
            .request(method, url)
            .header("Accept", MANIFEST_MEDIA_TYPES.join(", "));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        Ok(request.send().await)
    }

    /// For a registry whose HEAD names no digest: the manifest's sha256, checked against the
    /// digest its GET names, if any.
    async fn get_and_hash(&self, image: &ImageRef, auth: Option<&str>) -> Result<String> {
        let response = self
            .send(Method::GET, image, auth)
            .await?
            .map_err(|e| unreachable(image, &e))?;
        if !response.status().is_success() {
            return Err(status_error(image, &response, auth.is_some()));
        }
        let stated = header_digest(&response);
        let mut response = response;
        let (body, whole) = read_at_most(&mut response, MAX_MANIFEST_BYTES)
            .await
            .map_err(|e| unreachable(image, &e))?;
        if !whole {
            return Err(manifest_too_large(image));
        }
        let digest = format!("sha256:{:x}", Sha256::digest(&body));
        match stated {
            Some(s) if s.starts_with("sha256:") && s != digest => Err(failed(format!(
                "registry {}: the manifest of {image} does not match the digest it names ({s}, content {digest}); it is not used",
                image.registry
            ))),
            _ => Ok(digest),
        }
    }
}

fn token_key(image: &ImageRef, login: Option<&Login>) -> TokenKey {
    let who = login.map_or_else(String::new, |l| {
        format!(
            "{:x}",
            Sha256::digest(format!("{}\0{}", l.username, l.password))
        )
    });
    (
        image.api_registry().to_string(),
        image.repository.clone(),
        who,
    )
}

/// A request that got no answer: the registry is down, unreachable, or its TLS is not trusted.
fn unreachable(image: &ImageRef, e: &reqwest::Error) -> anyhow::Error {
    let text = super::error_chain_text(e);
    let hint = tls_hint(&text, &image.registry).unwrap_or_else(|| {
        format!(
            "check that the registry {} is up and reachable",
            image.registry
        )
    });
    failed(format!(
        "registry {}: cannot resolve {image}: {text}; {hint}",
        image.registry
    ))
}

/// A registry's refusal, typed as watch needs it: missing (404), refused (401, 403), rate
/// limited (429, with its Retry-After), or the registry's own failure.
fn status_error(image: &ImageRef, response: &reqwest::Response, with_login: bool) -> anyhow::Error {
    let status = response.status();
    let registry = &image.registry;
    let prefix = format!("registry {registry}: cannot resolve {image}: {status}");
    match status {
        StatusCode::NOT_FOUND => Error::Missing(format!(
            "{prefix}; check the repository and tag: the registry does not have it"
        ))
        .into(),
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            let hint = if with_login {
                "the login was refused".to_string()
            } else {
                format!("log in with 'acrt login -r {registry} -u USER --password-stdin'")
            };
            Error::Refused(format!("{prefix}; {hint}")).into()
        }
        StatusCode::TOO_MANY_REQUESTS => {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(super::parse_retry_after);
            let when = retry_after.map_or_else(
                || "it gave no Retry-After".to_string(),
                |d| format!("it asks to retry after {} s", d.as_secs()),
            );
            Error::RateLimited {
                message: format!("registry {registry}: rate limited on {image}; {when}"),
                retry_after,
            }
            .into()
        }
        _ => failed(format!(
            "{prefix}; check that the registry {registry} is up and reachable"
        )),
    }
}
