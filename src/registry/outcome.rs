//! What a registry's failure means, decided in one place: from the HTTP status, from the OCI
//! error codes of the distribution spec, from oci-client's typed errors, and (only where all
//! there is is text: a TLS failure inside a connection error's chain) from one text rule.
//! Every caller asks here (is the image missing? was the login refused?) and never reads an
//! error's words itself.

use std::time::Duration;

use oci_client::errors::{OciDistributionError, OciErrorCode};

use crate::error::{Error, Message};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The registry does not have the image, repository or blob (404, MANIFEST_UNKNOWN,
    /// NAME_UNKNOWN, BLOB_UNKNOWN).
    Missing,
    /// The login was refused, or one is needed (401, UNAUTHORIZED).
    Refused,
    /// The login was taken but lacks the right asked for (403, DENIED, `insufficient_scope`).
    InsufficientScope,
    /// Too many requests (429, TOOMANYREQUESTS), with the wait the registry asked for.
    RateLimited { retry_after: Option<Duration> },
    /// The token service the registry sent us to failed (not the login's fault).
    TokenService,
    /// The registry's TLS certificate is not trusted, or it speaks no TLS.
    Tls,
    /// Anything else: the registry is down, unreachable or answered something unexpected.
    Other,
}

impl Outcome {
    /// What an answer's status says; `www_authenticate` tells a right not given
    /// (`error="insufficient_scope"`) from a login refused.
    pub fn of_status(
        status: u16,
        www_authenticate: Option<&str>,
        retry_after: Option<Duration>,
    ) -> Outcome {
        match status {
            404 => Outcome::Missing,
            401 if www_authenticate.is_some_and(is_insufficient_scope) => {
                Outcome::InsufficientScope
            }
            401 => Outcome::Refused,
            403 => Outcome::InsufficientScope,
            429 => Outcome::RateLimited { retry_after },
            _ => Outcome::Other,
        }
    }

    /// What an answer says by its status, its challenge and its Retry-After.
    pub fn of_response(response: &reqwest::Response) -> Outcome {
        Outcome::of_status(
            response.status().as_u16(),
            super::challenge::www_authenticate(response),
            super::retry_after_of(response),
        )
    }

    /// What the OCI error codes of an answer's envelope say, the first that says anything.
    pub fn of_codes<'a>(codes: impl IntoIterator<Item = &'a OciErrorCode>) -> Option<Outcome> {
        codes.into_iter().find_map(|code| match code {
            OciErrorCode::ManifestUnknown
            | OciErrorCode::NameUnknown
            | OciErrorCode::BlobUnknown
            | OciErrorCode::ManifestBlobUnknown
            | OciErrorCode::NotFound => Some(Outcome::Missing),
            OciErrorCode::Unauthorized => Some(Outcome::Refused),
            OciErrorCode::Denied => Some(Outcome::InsufficientScope),
            OciErrorCode::Toomanyrequests => Some(Outcome::RateLimited { retry_after: None }),
            // Registries of their own codes (Docker Hub's, some proxies') in any case.
            OciErrorCode::Other(other) => match other.to_ascii_uppercase().as_str() {
                "MANIFEST_UNKNOWN" | "NAME_UNKNOWN" | "BLOB_UNKNOWN" => Some(Outcome::Missing),
                "UNAUTHORIZED" => Some(Outcome::Refused),
                "DENIED" => Some(Outcome::InsufficientScope),
                "TOOMANYREQUESTS" => Some(Outcome::RateLimited { retry_after: None }),
                _ => None,
            },
            _ => None,
        })
    }

    /// What an oci-client error says: its envelope's codes, else its status, else (a request
    /// that got no answer) whether TLS failed.
    pub fn of_oci(err: &OciDistributionError) -> Outcome {
        use OciDistributionError as E;
        match err {
            E::RegistryError { envelope, .. } => {
                Outcome::of_codes(envelope.errors.iter().map(|e| &e.code)).unwrap_or(Outcome::Other)
            }
            E::ServerError { code, .. } => Outcome::of_status(*code, None, None),
            E::UnauthorizedError { .. } | E::AuthenticationFailure(_) => Outcome::Refused,
            E::ImageManifestNotFoundError(_) => Outcome::Missing,
            E::RequestError(_) | E::IoError(_) => Outcome::of_text(&super::error_chain_text(err)),
            _ => Outcome::Other,
        }
    }

    /// The one rule on text, for failures that carry nothing else: a TLS failure is only
    /// words in a connection error's chain (rustls' and the system's).
    pub fn of_text(text: &str) -> Outcome {
        let lower = text.to_ascii_lowercase();
        let tls = [
            "certificate",
            "unknownissuer",
            "tls handshake",
            "invalid peer",
        ]
        .iter()
        .any(|k| lower.contains(k));
        if tls { Outcome::Tls } else { Outcome::Other }
    }

    /// The outcome an error made by the registry module carries, if it is a registry's
    /// refusal of one of the kinds watch and import tell apart.
    pub fn of_error(err: &anyhow::Error) -> Option<Outcome> {
        err.chain()
            .find_map(|cause| cause.downcast_ref::<Error>())
            .and_then(|e| match e {
                Error::Missing(_) => Some(Outcome::Missing),
                Error::Refused(_) => Some(Outcome::Refused),
                Error::RateLimited { retry_after, .. } => Some(Outcome::RateLimited {
                    retry_after: *retry_after,
                }),
                _ => None,
            })
    }

    /// Whether this says the registry does not have what was asked for.
    pub fn is_missing(self) -> bool {
        self == Outcome::Missing
    }

    /// An error of this outcome's kind: missing, refused (a login refused or a right not
    /// given) and rate limited are typed, so that watch tells a base's or a login's problem
    /// from its registry's; the rest are failures. `message` says what went wrong, `hint`
    /// what to do; they are joined here, once.
    pub fn error(self, message: &str, hint: &str) -> anyhow::Error {
        let text = Message::hinted(message, hint);
        match self {
            Outcome::Missing => Error::Missing(text).into(),
            Outcome::Refused | Outcome::InsufficientScope => Error::Refused(text).into(),
            Outcome::RateLimited { retry_after } => Error::RateLimited {
                message: text,
                retry_after,
            }
            .into(),
            Outcome::TokenService | Outcome::Tls | Outcome::Other => Error::Failed(text).into(),
        }
    }

    /// What to do about this outcome of a request to `registry`: the hint, kept apart from
    /// the message until an error is made of both.
    pub fn hint(self, registry: &str) -> String {
        match self {
            Outcome::Missing => {
                "check the repository and tag: the registry does not have it".to_string()
            }
            Outcome::Refused => format!(
                "log in with 'acrt login -r {registry} -u USER --password-stdin'; for a task's runs, fix its login with \
                 'acrt task credential update -n TASK --login-server {registry} -u USER --password-stdin' \
                 ('credential add' if the task has none for it)"
            ),
            Outcome::InsufficientScope => format!(
                "the login was taken, the right was not given; ask the owner of {registry} for it, or use \
                 a login that has it"
            ),
            Outcome::RateLimited { .. } => {
                format!("{registry} is limiting requests; try again later")
            }
            Outcome::Tls => format!(
                "this is a TLS certificate problem: if {registry} uses a certificate of a private CA, \
                 trust it with 'acrt config set core.ca_file=/path/to/ca.pem'; if it has no TLS at all, \
                 'acrt config set core.insecure_registries={registry}'"
            ),
            Outcome::TokenService | Outcome::Other => {
                format!("check that the registry {registry} is up and reachable")
            }
        }
    }
}

/// A request to `registry` that got no answer: `what` failed because of `err` (down,
/// unreachable, or its TLS not trusted), with the hint for which of them it is.
pub fn unreachable(
    registry: &str,
    what: &str,
    err: &(dyn std::error::Error + 'static),
) -> anyhow::Error {
    let text = super::error_chain_text(err);
    let outcome = Outcome::of_text(&text);
    outcome.error(&format!("{what}: {text}"), &outcome.hint(registry))
}

/// Whether a WWW-Authenticate challenge says the token lacks the right (RFC 6750's
/// `error="insufficient_scope"`).
fn is_insufficient_scope(www_authenticate: &str) -> bool {
    www_authenticate.contains("insufficient_scope")
}

#[cfg(test)]
mod tests {
    use super::*;
    use oci_client::errors::OciEnvelope;

    fn envelope_error(body: &str) -> OciDistributionError {
        OciDistributionError::RegistryError {
            envelope: serde_json::from_str::<OciEnvelope>(body).unwrap(),
            url: "https://r.example/v2/app/manifests/1".into(),
        }
    }

    #[test]
    fn manifest_unknown_and_name_unknown_both_say_missing() {
        for code in ["MANIFEST_UNKNOWN", "NAME_UNKNOWN", "BLOB_UNKNOWN"] {
            let e = envelope_error(&format!(r#"{{"errors":[{{"code":"{code}"}}]}}"#));
            assert_eq!(Outcome::of_oci(&e), Outcome::Missing, "{code}");
        }
        let plain_404 = OciDistributionError::ServerError {
            code: 404,
            url: String::new(),
            message: "page not found".into(),
        };
        assert_eq!(Outcome::of_oci(&plain_404), Outcome::Missing);
    }

    #[test]
    fn refusals_rate_limits_and_the_rest_are_told_apart() {
        let denied = envelope_error(r#"{"errors":[{"code":"DENIED","message":"no"}]}"#);
        assert_eq!(Outcome::of_oci(&denied), Outcome::InsufficientScope);
        let unauthorized = envelope_error(r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#);
        assert_eq!(Outcome::of_oci(&unauthorized), Outcome::Refused);
        let limited = envelope_error(r#"{"errors":[{"code":"TOOMANYREQUESTS"}]}"#);
        assert_eq!(
            Outcome::of_oci(&limited),
            Outcome::RateLimited { retry_after: None }
        );
        let own = envelope_error(r#"{"errors":[{"code":"SOMETHING_ELSE","message":"404"}]}"#);
        assert_eq!(
            Outcome::of_oci(&own),
            Outcome::Other,
            "a message's words decide nothing"
        );
        assert_eq!(
            Outcome::of_status(401, Some(r#"Bearer error="insufficient_scope""#), None),
            Outcome::InsufficientScope
        );
        assert_eq!(Outcome::of_status(401, None, None), Outcome::Refused);
        assert_eq!(Outcome::of_status(503, None, None), Outcome::Other);
        assert_eq!(
            Outcome::of_text("invalid peer certificate: UnknownIssuer"),
            Outcome::Tls
        );
    }

    #[test]
    fn an_outcome_made_into_an_error_is_read_back() {
        let e = Outcome::Missing.error("registry r: cannot resolve r/app:1", "check the tag");
        assert_eq!(Outcome::of_error(&e), Some(Outcome::Missing));
        assert_eq!(
            e.to_string(),
            "registry r: cannot resolve r/app:1; check the tag"
        );
        let e = Outcome::InsufficientScope.error("no", "");
        assert_eq!(Outcome::of_error(&e), Some(Outcome::Refused));
        assert_eq!(Outcome::of_error(&Outcome::Tls.error("x", "y")), None);
    }
}
