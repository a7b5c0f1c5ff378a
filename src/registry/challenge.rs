//! A registry's answer to `GET /v2/` (open, basic, or a token service at a realm), read in
//! one place, and where a login may go: the registry itself, or a realm it names only over
//! https or where acrt speaks plain http anyway.

use reqwest::StatusCode;

use super::is_insecure;
use crate::error::{Result, failed};

/// How a registry wants requests authenticated, from its answer to `GET /v2/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Challenge {
    /// No challenge: requests go without credentials.
    Open,
    /// HTTP basic: the login goes with every request.
    Basic,
    /// A token service: a token per scope, fetched with the login.
    Bearer {
        realm: String,
        service: Option<String>,
    },
}

/// The challenge in a registry's answer.
pub(super) fn of_response(response: &reqwest::Response) -> Challenge {
    parse_challenge(response.status(), www_authenticate(response))
}

/// An answer's WWW-Authenticate header, if it has one that is text.
pub(super) fn www_authenticate(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get(reqwest::header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
}

/// The registry's challenge: bearer (with its realm), basic, or none.
fn parse_challenge(status: StatusCode, header: Option<&str>) -> Challenge {
    let Some(header) = header else {
        return if status == StatusCode::UNAUTHORIZED {
            Challenge::Basic
        } else {
            Challenge::Open
        };
    };
    let challenges = http_auth::parse_challenges(header).unwrap_or_default();
    for c in &challenges {
        if c.scheme.eq_ignore_ascii_case("bearer") {
            let param = |name: &str| {
                c.params
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.to_unescaped())
            };
            if let Some(realm) = param("realm") {
                return Challenge::Bearer {
                    realm,
                    service: param("service"),
                };
            }
        }
    }
    Challenge::Basic
}

/// Refuses to send `registry`'s login to the token service at `realm` when it would travel in
/// clear: a realm gets a login over https, over plain http only where acrt speaks plain http
/// to registries (the rule of [`is_insecure`]: loopback and `core.insecure_registries`).
pub(super) fn check_realm(registry: &str, realm: &str) -> Result<()> {
    let url = reqwest::Url::parse(realm).map_err(|e| {
        failed(format!(
            "registry {registry} names '{realm}' as its token service, which is not a URL ({e}); \
             the login was not sent: ask the registry's operator to fix its token realm"
        ))
    })?;
    let host = url.host_str().unwrap_or_default();
    let authority = url
        .port()
        .map_or_else(|| host.to_string(), |port| format!("{host}:{port}"));
    if url.scheme() == "https" || (url.scheme() == "http" && is_insecure(&authority)) {
        return Ok(());
    }
    Err(failed(format!(
        "registry {registry} names {realm} as its token service, which is not https: acrt sends a \
         login over plain http only to loopback hosts and those in core.insecure_registries, so the \
         login for {registry} was not sent; ask the registry's operator to serve the token service \
         over https, or, if {authority} is truly trusted (no one else can read its traffic), add it \
         to core.insecure_registries ('acrt config set core.insecure_registries=...,{authority}')"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_is_read_from_www_authenticate() {
        let parse =
            |status: u16, header| parse_challenge(StatusCode::from_u16(status).unwrap(), header);
        assert_eq!(parse(200, None), Challenge::Open);
        assert_eq!(parse(401, None), Challenge::Basic);
        assert_eq!(
            parse(401, Some("Basic realm=\"registry\"")),
            Challenge::Basic
        );
        assert_eq!(
            parse(
                401,
                Some(
                    "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"x\""
                )
            ),
            Challenge::Bearer {
                realm: "https://auth.example/token".into(),
                service: Some("registry.example".into())
            }
        );
        // A bearer challenge without a realm cannot be followed: basic is what is left.
        assert_eq!(parse(401, Some("Bearer service=\"x\"")), Challenge::Basic);
    }

    #[test]
    fn a_login_goes_to_a_realm_over_https_or_where_plain_http_is_allowed() {
        assert!(check_realm("reg.example", "https://auth.example/token").is_ok());
        assert!(check_realm("reg.example", "http://127.0.0.1:5001/token").is_ok());
        assert!(check_realm("reg.example", "http://localhost/token").is_ok());
        assert!(check_realm("reg.example", "http://[::1]:5001/token").is_ok());
        for realm in [
            "http://auth.example/token",
            "http://auth.example:8080/token",
            "ftp://auth.example/token",
            "not a url",
        ] {
            let err = check_realm("reg.example", realm).unwrap_err().to_string();
            assert!(
                err.contains("reg.example") && err.contains("was not sent"),
                "{realm}: {err}"
            );
        }
        let err = check_realm("reg.example", "http://auth.example:8080/token")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("core.insecure_registries=...,auth.example:8080"),
            "{err}"
        );
    }
}
