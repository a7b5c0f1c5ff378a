//! A cmd step's `--env-file`, read as docker reads one: a file of the run's workspace (never
//! outside it, never bigger than [`MAX_BYTES`]), one `KEY=VALUE` a line; lines that are empty
//! or start with `#` (after leading spaces) are skipped; the value is taken as written (no
//! quotes removed, trailing spaces kept).

use std::io::Read as _;
use std::path::Path;

/// The most an env file may hold.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// The variables of the workspace file `rel` (relative to the workspace), in order.
pub fn read(workspace: &Path, rel: &str) -> Result<Vec<(String, String)>, String> {
    let what = format!("--env-file {rel}");
    crate::context::resolve_inside(workspace, rel, "the env file").map_err(|e| format!("{e:#}"))?;
    // Opened beneath the workspace in one lookup: a step running beside this one cannot swap a
    // directory on the way for a link out between the check above and the open.
    let file = crate::context::open_beneath(workspace, rel, libc::O_RDONLY)
        .map_err(|e| format!("{what}: cannot read it: {e}"))?;
    // Not a FIFO or a device an earlier step left there: reading one could block or never end.
    let is_file = file.metadata().is_ok_and(|m| m.is_file());
    if !is_file {
        return Err(format!("{what}: not a regular file of the workspace"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{what}: cannot read it: {e}"))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{what}: bigger than {} KiB; an env file holds variables, not data",
            MAX_BYTES / 1024
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{what}: not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    parse(&text).map_err(|e| format!("{what}: {e}"))
}

/// The `KEY=VALUE` lines of an env file's text. An error names the line, never its value.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut vars = Vec::new();
    for (at, line) in text.lines().enumerate() {
        let line_no = at + 1;
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!(
                "line {line_no} has no '='; write KEY=VALUE (a task file cannot take a value from acrt's environment)"
            ));
        };
        if key.is_empty() {
            return Err(format!("line {line_no} has no variable name before '='"));
        }
        if key.chars().any(char::is_whitespace) {
            return Err(format!(
                "line {line_no}: the variable name '{key}' has spaces"
            ));
        }
        vars.push((key.to_string(), value.to_string()));
    }
    Ok(vars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_as_docker_reads_them() {
        let text =
            "\u{feff}# comment\n\n  A=1\nB=\"quoted\" \r\n   # indented comment\nC=a=b\nD=\n";
        assert_eq!(
            parse(text).unwrap(),
            [
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "\"quoted\" ".to_string()),
                ("C".to_string(), "a=b".to_string()),
                ("D".to_string(), String::new()),
            ]
        );
        for (bad, named) in [
            ("A=1\nHOME\n", "line 2 has no '='"),
            ("=x\n", "no variable name"),
            ("MY VAR=secret-value\n", "has spaces"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(named), "{e}");
            assert!(!e.contains("secret-value"), "{e}");
        }
    }

    #[test]
    fn only_a_bounded_regular_file_of_the_workspace_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws");
        std::fs::create_dir(&ws).unwrap();
        std::fs::write(dir.path().join("outside.env"), "A=1\n").unwrap();
        std::os::unix::fs::symlink("../outside.env", ws.join("link.env")).unwrap();
        std::fs::write(
            ws.join("big.env"),
            "A=".to_string() + &"x".repeat(MAX_BYTES as usize),
        )
        .unwrap();
        std::fs::create_dir(ws.join("dir.env")).unwrap();
        std::fs::write(ws.join("ok.env"), "A=1\n").unwrap();
        assert_eq!(read(&ws, "ok.env").unwrap(), [("A".into(), "1".into())]);
        for (rel, named) in [
            ("../outside.env", "outside"),
            ("link.env", "outside"),
            ("big.env", "bigger than"),
            ("dir.env", "not a regular file"),
            ("missing.env", "missing.env"),
        ] {
            let e = read(&ws, rel).unwrap_err();
            assert!(e.contains(named), "{rel}: {e}");
        }
    }
}
