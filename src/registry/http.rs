//! How acrt talks to registries over HTTP: the user's settings (plain http, private CAs,
//! timeouts), the shared clients, and TLS errors explained.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use crate::error::{Result, failed};
use crate::model::image::is_loopback;

/// How acrt talks to registries, from the user's config; set once per command.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Registries to speak plain http to besides loopback ones (`core.insecure_registries`).
    pub insecure_registries: Vec<String>,
    /// A PEM file of private CA certificates to trust besides the system's (`core.ca_file`).
    pub ca_file: Option<PathBuf>,
    /// The deadline of one registry request read whole (a manifest, a config, a token), and
    /// the longest silence a streamed blob may have (`core.registry_timeout`).
    pub request_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            insecure_registries: Vec::new(),
            ca_file: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// The default deadline of one registry request.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Sets how acrt talks to registries for this process.
pub fn configure(mut settings: Settings) {
    for r in &mut settings.insecure_registries {
        *r = r.to_ascii_lowercase();
    }
    let _ = SETTINGS.set(settings);
}

pub fn settings() -> &'static Settings {
    SETTINGS.get_or_init(Settings::default)
}

/// The private CA file's certificates, read now: a missing or unreadable file is an error
/// that names the config key.
pub fn ca_pem() -> Result<Option<Vec<u8>>> {
    let Some(path) = &settings().ca_file else {
        return Ok(None);
    };
    let pem = std::fs::read(path).map_err(|e| {
        failed(format!(
            "cannot read the CA file {} (core.ca_file): {e}; fix the path with 'acrt config set core.ca_file=PATH'",
            path.display()
        ))
    })?;
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(failed(format!(
            "the CA file {} (core.ca_file) holds no PEM certificate",
            path.display()
        )));
    }
    Ok(Some(pem))
}

/// The system's root certificates (DER), read once per process: reading them (hundreds of
/// files under the system's certificate directory) costs tens of milliseconds, and each HTTP
/// client would otherwise read them again. Those that are no trust anchor are left out, as
/// the platform's verifier leaves them out.
pub fn system_roots() -> &'static [Vec<u8>] {
    static ROOTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    ROOTS.get_or_init(|| {
        rustls_native_certs::load_native_certs()
            .certs
            .into_iter()
            .filter(|der| webpki::anchor_from_trusted_cert(der).is_ok())
            .map(|der| der.to_vec())
            .collect()
    })
}

/// The private CA file's certificates (none when no file is set).
fn ca_certificates() -> Result<Vec<reqwest::Certificate>> {
    let Some(pem) = ca_pem()? else {
        return Ok(Vec::new());
    };
    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        failed(format!(
            "the CA file (core.ca_file) cannot be read as PEM: {e}"
        ))
    })
}

/// An HTTP client for what acrt asks registries itself (login checks, Retry-After): the
/// system's roots (read once per process) and the private CA trusted, each request bounded
/// by the request deadline.
pub fn http_client() -> Result<reqwest::Client> {
    let timeout = settings().request_timeout;
    let builder = reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout);
    let ca = ca_certificates()?;
    let system = system_roots();
    let builder = if system.is_empty() {
        // The platform's verifier then says that the system has no roots.
        builder.tls_certs_merge(ca)
    } else {
        let roots = system
            .iter()
            .map(|der| reqwest::Certificate::from_der(der))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        builder.tls_certs_only(roots.into_iter().chain(ca))
    };
    Ok(builder.build()?)
}

/// [`http_client`] for plain-http URLs only (loopback and insecure registries): it trusts no
/// certificate, so building it does not read the system's root store.
pub fn plain_http_client() -> Result<reqwest::Client> {
    let timeout = settings().request_timeout;
    Ok(reqwest::Client::builder()
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout)
        .tls_certs_only(Vec::new())
        .redirect(plain_redirects())
        .build()?)
}

/// Redirects followed over plain http only: one to https (a blob in a registry's storage)
/// is handed back, for a client that trusts certificates to follow.
fn plain_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if attempt.url().scheme() == "https" {
            attempt.stop()
        } else if attempt.previous().len() >= 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// The HTTP clients for what acrt asks registries itself: the plain one for http URLs, the
/// TLS one built when the first https URL is asked (it reads the system's root store).
#[derive(Default)]
pub(crate) struct Clients {
    plain: OnceLock<reqwest::Client>,
    tls: OnceLock<reqwest::Client>,
}

impl Clients {
    /// The client for `url`, built now if need be.
    pub(crate) fn for_url(&self, url: &str) -> Result<&reqwest::Client> {
        let (cell, build): (_, fn() -> Result<reqwest::Client>) = if url.starts_with("http://") {
            (&self.plain, plain_http_client)
        } else {
            (&self.tls, http_client)
        };
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        let client = build()?;
        Ok(cell.get_or_init(|| client))
    }
}

/// Whether acrt speaks plain http to a registry: loopback ones, and configured ones only.
pub fn is_insecure(registry: &str) -> bool {
    is_loopback(registry)
        || settings()
            .insecure_registries
            .iter()
            .any(|r| r.eq_ignore_ascii_case(registry))
}

/// The text of an error and every error it wraps: the cause of a failed request (a
/// certificate, a refused connection) is only in the chain.
pub fn error_chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let more = e.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = e.source();
    }
    text
}

/// How acrt speaks to a registry: plain http to loopback and configured ones only.
pub(super) fn scheme(registry: &str) -> &'static str {
    if is_insecure(registry) {
        "http"
    } else {
        "https"
    }
}
