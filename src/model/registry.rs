//! What `--registry/-r` names: a login server, a configured alias, or an Azure registry name.

use std::collections::BTreeMap;

use crate::error::{Result, invalid};

/// Resolves a `-r` value to a login server.
///
/// `localhost:5000` and `reg.example.com` are login servers already; a name found in the
/// configured aliases maps to its server; any other bare NAME means NAME.azurecr.io, as in az.
pub fn resolve_login_server(text: &str, aliases: &BTreeMap<String, String>) -> Result<String> {
    let name = text.trim().to_ascii_lowercase();
    // An ARM resource ID (/subscriptions/.../providers/Microsoft.ContainerRegistry/
    // registries/NAME), as az takes for a source registry: its NAME.
    let name = match name.strip_prefix("/subscriptions/") {
        Some(rest) => match rest.rsplit_once("/registries/") {
            Some((_, registry)) if !registry.is_empty() && !registry.contains('/') => {
                registry.to_string()
            }
            _ => {
                return Err(invalid(format!(
                    "'{text}' is no registry resource ID: it should end in \
                     /providers/Microsoft.ContainerRegistry/registries/NAME"
                )));
            }
        },
        None => name,
    };
    if let Some(server) = aliases
        .get(&name)
        .map(String::as_str)
        .or_else(|| azure_host_alias(&name, aliases))
    {
        return validate_login_server(server).map(|()| server.to_ascii_lowercase());
    }
    let server = if name.contains('.') || name.contains(':') || name == "localhost" {
        name
    } else {
        format!("{name}.azurecr.io")
    };
    validate_login_server(&server)?;
    Ok(server)
}

/// Azure's login server suffix: `NAME.azurecr.io` is the registry NAME itself.
const AZURE_SUFFIX: &str = ".azurecr.io";

/// The server a configured alias NAME stands for when `host` is `NAME.azurecr.io`: in Azure
/// that host is the registry itself, so scripts name it beside `-r NAME`.
pub fn azure_host_alias<'a>(host: &str, aliases: &'a BTreeMap<String, String>) -> Option<&'a str> {
    let lower = host.to_ascii_lowercase();
    let name = lower.strip_suffix(AZURE_SUFFIX)?;
    aliases.get(name).map(String::as_str)
}

/// `image` with a leading `NAME.azurecr.io/` replaced by the server of the alias NAME (see
/// [`azure_host_alias`]); None when there is nothing to replace.
pub fn image_on_alias(image: &str, aliases: &BTreeMap<String, String>) -> Option<String> {
    let (host, rest) = image.split_once('/')?;
    let server = azure_host_alias(host, aliases)?;
    Some(format!("{server}/{rest}"))
}

/// A login server is `host[:port]`: no scheme, no path.
pub fn validate_login_server(server: &str) -> Result<()> {
    let hint =
        "give the registry's login server as host[:port], e.g. localhost:5000 or reg.example.com";
    if server.len() > 255 {
        return Err(invalid(format!(
            "invalid registry '{}...': longer than 255 characters; {hint}",
            &server[..server
                .char_indices()
                .nth(40)
                .map_or(server.len(), |(i, _)| i)]
        )));
    }
    if server.contains("://") || server.contains('/') {
        return Err(invalid(format!(
            "invalid registry '{server}': no scheme or path allowed; {hint}"
        )));
    }
    let (host, port) = match server.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') && !h.is_empty() => (h, Some(p)),
        _ => (server, None),
    };
    let host_ok = if host.starts_with('[') && host.ends_with(']') {
        host[1..host.len() - 1]
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':')
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            })
    };
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    if !host_ok || !port_ok {
        return Err(invalid(format!("invalid registry '{server}'; {hint}")));
    }
    Ok(())
}

/// `{{.Run.RegistryName}}`: the login server up to its first dot (or colon).
pub fn registry_name(login_server: &str) -> &str {
    login_server
        .split(['.', ':'])
        .next()
        .unwrap_or(login_server)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_servers_aliases_and_azure_names() {
        let mut aliases = BTreeMap::new();
        aliases.insert("local".to_string(), "localhost:5000".to_string());
        let r = |t: &str| resolve_login_server(t, &aliases);
        assert_eq!(r("localhost:5000").unwrap(), "localhost:5000");
        assert_eq!(r("Reg.Example.com").unwrap(), "reg.example.com");
        assert_eq!(r("local").unwrap(), "localhost:5000");
        assert_eq!(r("myreg").unwrap(), "myreg.azurecr.io");
        assert_eq!(r("myreg.azurecr.io").unwrap(), "myreg.azurecr.io");
        assert_eq!(r("127.0.0.1:5000").unwrap(), "127.0.0.1:5000");
        assert_eq!(r("[::1]:5000").unwrap(), "[::1]:5000");
        assert!(r("https://localhost:5000").is_err());
        let id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/";
        assert_eq!(r(&format!("{id}local")).unwrap(), "localhost:5000");
        assert_eq!(r(&format!("{id}MyReg")).unwrap(), "myreg.azurecr.io");
        assert!(r("/subscriptions/0000/resourceGroups/rg").is_err());
        assert_eq!(r("local.azurecr.io").unwrap(), "localhost:5000");
        assert_eq!(
            image_on_alias("LOCAL.azurecr.io/app:1", &aliases).as_deref(),
            Some("localhost:5000/app:1")
        );
        assert_eq!(image_on_alias("other.azurecr.io/app:1", &aliases), None);
        assert_eq!(image_on_alias("app:1", &aliases), None);
        assert!(r("localhost:99999").is_err());
        assert!(r("reg.example.com/team").is_err());
    }

    #[test]
    fn registry_name_is_the_first_label() {
        assert_eq!(registry_name("myreg.azurecr.io"), "myreg");
        assert_eq!(registry_name("localhost:5000"), "localhost");
    }
}
