//! Image references as Dockerfiles and `--image` write them, normalised the way registries
//! and az report them.

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{Result, invalid};

/// How az reports Docker Hub; requests go to [`DOCKER_HUB_API`].
pub const DOCKER_HUB: &str = "registry.hub.docker.com";
pub const DOCKER_HUB_API: &str = "registry-1.docker.io";

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ImageRef {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parses `[registry/]repository[:tag][@digest]`. Without a registry the image is on
    /// Docker Hub (`library/` added to one-segment names); without tag or digest, `:latest`.
    pub fn parse(text: &str) -> Result<ImageRef> {
        Self::parse_in(text, None)
    }

    /// Like [`ImageRef::parse`], but names without a registry belong to `default_registry`
    /// (as `--image hello:v1` belongs to the task's registry).
    pub fn parse_in(text: &str, default_registry: Option<&str>) -> Result<ImageRef> {
        let bad = |why: &str| {
            invalid(format!(
                "invalid image reference '{text}': {why}; use [registry/]repository[:tag][@sha256:digest]"
            ))
        };
        let text = text.trim();
        if text.is_empty() || text.chars().any(char::is_whitespace) {
            return Err(bad("it is empty or has spaces"));
        }
        let (name, digest) = match text.split_once('@') {
            Some((n, d)) => {
                let hex = d
                    .strip_prefix("sha256:")
                    .ok_or_else(|| bad("the digest is not sha256:..."))?;
                if hex.len() != 64
                    || !hex
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                {
                    return Err(bad("the digest is not 64 lower-case hex characters"));
                }
                (n, Some(d.to_string()))
            }
            None => (text, None),
        };
        // A tag is after the last ':' that follows the last '/'.
        let last_slash = name.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match name[last_slash..].rfind(':') {
            Some(i) => (
                &name[..last_slash + i],
                Some(name[last_slash + i + 1..].to_string()),
            ),
            None => (name, None),
        };
        // The OCI distribution spec's tag: [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
        if let Some(t) = &tag
            && (t.is_empty()
                || t.len() > 128
                || t.starts_with(['.', '-'])
                || !t
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)))
        {
            return Err(bad(
                "a tag is 1 to 128 letters, digits, '_', '.' and '-', and starts with a letter, digit or '_'",
            ));
        }
        let (registry, repository) = match (registry_part(path), path.split_once('/')) {
            (Some(first), Some((_, rest))) => (first.to_ascii_lowercase(), rest.to_string()),
            _ => match default_registry {
                Some(r) => (r.to_string(), path.to_string()),
                None if path.contains('/') => (DOCKER_HUB.to_string(), path.to_string()),
                None => (DOCKER_HUB.to_string(), format!("library/{path}")),
            },
        };
        let registry = match registry.as_str() {
            "docker.io" | "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB.to_string(),
            _ => registry,
        };
        let repository = if registry == DOCKER_HUB && !repository.contains('/') {
            format!("library/{repository}")
        } else {
            repository
        };
        if repository.is_empty() || !repository.split('/').all(is_path_component) {
            return Err(bad(
                "each part of the repository is lower-case letters and digits, joined by '.', '_', '__' or '-'",
            ));
        }
        if registry.len() + 1 + repository.len() > 255 {
            return Err(bad("the name is longer than 255 characters"));
        }
        if registry != DOCKER_HUB {
            crate::model::registry::validate_login_server(&registry)
                .map_err(|_| bad("the registry is not host[:port] with a port from 1 to 65535"))?;
        }
        let tag = if tag.is_none() && digest.is_none() {
            Some("latest".to_string())
        } else {
            tag
        };
        Ok(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// The registry host requests go to (Docker Hub's API host differs from its name).
    pub fn api_registry(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// The name docker pulls: Docker Hub as `docker.io`, so that a builder that knows
    /// other short-name rules (or finds the name in its local storage) takes it as docker does.
    pub fn docker_name(&self) -> String {
        if self.registry != DOCKER_HUB {
            return self.to_string();
        }
        let on_docker_io = ImageRef {
            registry: "docker.io".into(),
            ..self.clone()
        };
        on_docker_io.to_string()
    }

    /// `registry/repository:tag` (or `@digest`): what builders and registries are given.
    pub fn full_name(&self) -> String {
        self.to_string()
    }

    /// The same image named by its tag alone (`registry/repository[:tag]`).
    pub fn without_digest(&self) -> ImageRef {
        ImageRef {
            digest: None,
            ..self.clone()
        }
    }
}

/// A repository path component, as the OCI distribution spec has it:
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`.
fn is_path_component(c: &str) -> bool {
    let bytes = c.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// An image name as a task or a build is given it (`-t`): its templates must be whole and,
/// rendered for a run, it must be a valid reference in `registry`. Checked when given, so
/// that a bad name is refused then, not when the run pushes.
pub fn validate_image_name(text: &str, registry: &str) -> Result<()> {
    let mut ctx = crate::template::TemplateContext::default();
    for (k, v) in [
        ("ID", "ca1"),
        ("Registry", registry),
        (
            "RegistryName",
            crate::model::registry::registry_name(registry),
        ),
        ("Date", "20260101-000000z"),
        ("OS", "linux"),
        ("Architecture", "amd64"),
        ("Commit", "0123456789abcdef0123456789abcdef01234567"),
        ("Branch", "main"),
        ("TaskName", "task"),
        ("SharedVolume", "shared"),
    ] {
        ctx.run.insert(k.to_string(), v.to_string());
    }
    // Values are known only when the run starts: each named one stands for a plain word.
    for (i, _) in text.match_indices(".Values.") {
        let name: String = text[i + ".Values.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        ctx.values.insert(name, "value".into());
    }
    let rendered = crate::template::render(text, &ctx)
        .map_err(|e| invalid(format!("invalid image name '{text}': {e:#}")))?;
    ImageRef::parse_in(&rendered, Some(registry)).map(|_| ())
}

/// A digest shortened for people: `sha256:` and 12 hex digits; anything else as it is.
pub fn short_digest(digest: &str) -> String {
    match digest.strip_prefix("sha256:") {
        Some(hex) => format!("sha256:{}", &hex[..hex.len().min(12)]),
        None => digest.to_string(),
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// The registry a reference names, if it names one: its first path component, when that has
/// a dot or a port or is `localhost` (Docker's rule).
pub fn registry_part(reference: &str) -> Option<&str> {
    let (first, _) = reference.split_once('/')?;
    (first.contains('.') || first.contains(':') || first == "localhost").then_some(first)
}

/// Whether a registry is on this machine: plain http is used for those. Only `localhost` and
/// IP literals in 127.0.0.0/8 or `::1` are: a name like `127.evil.test` is a name like any
/// other, resolved by DNS to wherever its owner likes.
pub fn is_loopback(registry: &str) -> bool {
    let host = if let Some(rest) = registry.strip_prefix('[') {
        match rest.split_once(']') {
            Some((h, port)) if port.is_empty() || is_port(port.strip_prefix(':')) => h,
            _ => return false,
        }
    } else {
        match registry.rsplit_once(':') {
            Some((h, p)) if is_port(Some(p)) && !h.contains(':') => h,
            _ => registry,
        }
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn is_port(text: Option<&str>) -> bool {
    text.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> ImageRef {
        ImageRef::parse(t).unwrap()
    }

    #[test]
    fn short_names_are_docker_hubs_as_docker_pulls_them() {
        for (name, pulled) in [
            ("busybox", "docker.io/library/busybox:latest"),
            ("me/tool:1", "docker.io/me/tool:1"),
            ("docker.io/busybox", "docker.io/library/busybox:latest"),
            ("localhost:5000/busybox", "localhost:5000/busybox:latest"),
            ("localhost/busybox:2", "localhost/busybox:2"),
        ] {
            assert_eq!(p(name).docker_name(), pulled, "{name}");
        }
    }

    #[test]
    fn normalises_docker_hub() {
        assert_eq!(
            p("node").to_string(),
            "registry.hub.docker.com/library/node:latest"
        );
        assert_eq!(p("node:9-alpine").tag.as_deref(), Some("9-alpine"));
        assert_eq!(
            p("docker.io/library/node:9").to_string(),
            "registry.hub.docker.com/library/node:9"
        );
        assert_eq!(p("bitnami/nginx:1").repository, "bitnami/nginx");
        assert_eq!(p("node").api_registry(), "registry-1.docker.io");
    }

    #[test]
    fn keeps_registries_ports_and_digests() {
        let r = p("localhost:5000/baseimages/node:9-alpine");
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_deref()),
            ("localhost:5000", "baseimages/node", Some("9-alpine"))
        );
        let d = "sha256:".to_string() + &"a".repeat(64);
        let r = p(&format!("reg.example.com/app@{d}"));
        assert_eq!((r.tag, r.digest.as_deref()), (None, Some(d.as_str())));
        let r = p(&format!("reg.example.com/app:1@{d}"));
        assert_eq!(r.tag.as_deref(), Some("1"));
        assert!(ImageRef::parse("reg.example.com/App:1").is_err());
        assert!(ImageRef::parse("reg.example.com/app@sha256:abc").is_err());
        assert!(ImageRef::parse("a:b:c").is_err());
    }

    #[test]
    fn default_registry_applies_to_bare_names() {
        let r = ImageRef::parse_in("hello:da1", Some("localhost:5000")).unwrap();
        assert_eq!(r.to_string(), "localhost:5000/hello:da1");
        let r = ImageRef::parse_in("other.io/hello", Some("localhost:5000")).unwrap();
        assert_eq!(r.to_string(), "other.io/hello:latest");
    }

    #[test]
    fn loopback_registries() {
        assert!(is_loopback("localhost:5000"));
        assert!(is_loopback("127.0.0.1:41234"));
        assert!(is_loopback("[::1]:5000"));
        assert!(!is_loopback("reg.example.com"));
        assert!(is_loopback("127.12.0.3"));
        assert!(is_loopback("::1"));
        assert!(is_loopback("LocalHost:80"));
        for bad in [
            "a:b:c",
            ":tag",
            "Q:1",
            "x:-tag",
            "x:.tag",
            "localhost:99999/q:1",
            "x@sha256:zz",
            "a--b_.c:1",
            "a..b:1",
            "-a:1",
            "a-:1",
        ] {
            assert!(
                ImageRef::parse_in(bad, Some("localhost:5000")).is_err(),
                "{bad}"
            );
        }
        assert!(ImageRef::parse_in(&format!("x:{}", "t".repeat(129)), None).is_err());
        assert!(
            ImageRef::parse_in(&format!("{}:1", "a".repeat(250)), Some("localhost:5000")).is_err()
        );
        for good in [
            "a__b:1",
            "a---b.c_d:_x",
            "localhost:5000/a/b:v1.0-rc",
            "hello-world:latest",
        ] {
            assert!(
                ImageRef::parse_in(good, Some("localhost:5000")).is_ok(),
                "{good}"
            );
        }
        assert!(validate_image_name("hello:{{.Run.ID}}", "localhost:5000").is_ok());
        assert!(validate_image_name("hello:{{.Run.ID", "localhost:5000").is_err());
        for name in [
            "127.evil.test:5000",
            "127.0.0.1.nip.io",
            "localhost.evil.test",
            "[::2]:5000",
            "127.0.0.1:",
            "128.0.0.1",
        ] {
            assert!(!is_loopback(name), "{name}");
        }
    }
}
