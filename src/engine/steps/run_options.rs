//! A cmd step's line as ACR runs it: ACR appends it to `docker run`, so the words before the
//! image are docker run's options. Those the builder can honour become the step's own
//! properties (`-e`, `--env-file`, `-v` and `--mount` of the workspace, `-w`, `-u`,
//! `--entrypoint`, `-d`); the rest are ignored, warned about, or refused.

use super::DEFAULT_WORKING_DIRECTORY;
#[cfg(test)]
use super::exec::split_words;

/// What an option does to the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Env,
    Volume,
    Workdir,
    User,
    Entrypoint,
    /// `--env-file`: a file of the workspace, read when the step starts (an earlier step may
    /// write it), as docker reads it when the container starts.
    EnvFile,
    /// `--mount type=bind,...`: a directory of the workspace, as `-v`.
    Mount,
    /// `-d`: the step's `detach`.
    Detach,
    /// `--network`: `host` is what every step gets here; any other is not honoured.
    Network,
    /// Changes nothing a local run can see (`-t`, `-i`, `--rm`, `--init`).
    Ignored,
    /// Cannot be honoured by a local runtime: warned about.
    Unhonoured,
}

/// One docker run option acrt knows, by its names as written.
struct KnownOption {
    short: Option<&'static str>,
    long: &'static str,
    takes_value: bool,
    effect: Effect,
}

impl KnownOption {
    fn is_short(&self, c: char) -> bool {
        self.short.and_then(|s| s.chars().nth(1)) == Some(c)
    }
}

const fn option(
    short: Option<&'static str>,
    long: &'static str,
    takes_value: bool,
    effect: Effect,
) -> KnownOption {
    KnownOption {
        short,
        long,
        takes_value,
        effect,
    }
}

const KNOWN_OPTIONS: &[KnownOption] = &[
    option(Some("-e"), "--env", true, Effect::Env),
    option(Some("-v"), "--volume", true, Effect::Volume),
    option(Some("-w"), "--workdir", true, Effect::Workdir),
    option(Some("-u"), "--user", true, Effect::User),
    option(None, "--entrypoint", true, Effect::Entrypoint),
    option(None, "--env-file", true, Effect::EnvFile),
    option(None, "--mount", true, Effect::Mount),
    option(Some("-d"), "--detach", false, Effect::Detach),
    option(None, "--network", true, Effect::Network),
    option(None, "--net", true, Effect::Network),
    option(Some("-t"), "--tty", false, Effect::Ignored),
    option(Some("-i"), "--interactive", false, Effect::Ignored),
    option(None, "--rm", false, Effect::Ignored),
    option(None, "--init", false, Effect::Ignored),
    option(Some("-p"), "--publish", true, Effect::Unhonoured),
    option(Some("-P"), "--publish-all", false, Effect::Unhonoured),
    option(None, "--expose", true, Effect::Unhonoured),
    option(None, "--privileged", false, Effect::Unhonoured),
    // acrt names the step's container itself (ACR names it after the step, too).
    option(None, "--name", true, Effect::Unhonoured),
];

/// A directory of the run's workspace mounted into the step's container (`-v`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceBind {
    /// The directory, relative to the workspace ("" for the workspace itself).
    pub source: String,
    pub target: String,
    pub read_only: bool,
}

/// A cmd step's line: the docker run options before the image, the image, its arguments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CmdLine {
    pub env: Vec<(String, String)>,
    pub binds: Vec<WorkspaceBind>,
    pub working_directory: Option<String>,
    pub user: Option<String>,
    /// `--entrypoint`: one program, as docker takes it (spaces and all); empty clears the
    /// image's.
    pub entry_point: Option<Vec<String>>,
    /// `--env-file` files, relative to the workspace, in the order given.
    pub env_files: Vec<String>,
    pub detach: bool,
    /// The options given that a local runtime cannot honour, as written (`-p`), each once.
    pub unhonoured: Vec<&'static str>,
    pub run: ImageRun,
}

/// What a cmd step runs: the image (its full reference, as docker resolves the name) and
/// the arguments after it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageRun {
    pub image: String,
    pub args: Vec<String>,
}

impl CmdLine {
    /// Reads `[docker run options] IMAGE [ARGS]`; an unknown option, a bad value or a
    /// missing image is an error naming it.
    #[cfg(test)]
    pub fn parse(text: &str) -> Result<CmdLine, String> {
        CmdLine::from_words(&split_words(text))
    }

    /// Reads the words of a cmd line's first command (quotes already removed).
    pub fn from_words(words: &[String]) -> Result<CmdLine, String> {
        let mut line = CmdLine::default();
        let mut i = 0;
        while let Some(word) = words.get(i).filter(|w| w.starts_with('-') && w.len() > 1) {
            i += 1;
            for (known, inline) in options_in(word)? {
                let value = match (known.takes_value, inline) {
                    (true, Some(v)) => v,
                    (true, None) => {
                        let next = words
                            .get(i)
                            .cloned()
                            .ok_or_else(|| format!("cmd: {word} needs a value"))?;
                        i += 1;
                        next
                    }
                    (false, v) => v.unwrap_or_default(),
                };
                line.apply(known, word, value)?;
            }
        }
        let (image, args) = words[i..]
            .split_first()
            .ok_or("cmd names no image (after its docker run options)")?;
        // A short name is Docker Hub's, never whatever the builder's storage has by that name.
        let image = crate::model::image::ImageRef::parse(image)
            .map_err(|e| format!("cmd: {e:#}"))?
            .docker_name();
        line.run = ImageRun {
            image,
            args: args.to_vec(),
        };
        Ok(line)
    }

    fn apply(&mut self, known: &KnownOption, word: &str, value: String) -> Result<(), String> {
        match known.effect {
            Effect::Env => self.env.push(env_pair(&value)?),
            Effect::Volume => self.binds.push(workspace_bind(&value)?),
            Effect::Workdir => self.working_directory = Some(value),
            Effect::User => self.user = Some(value),
            Effect::Entrypoint => {
                self.entry_point =
                    Some(Some(value).filter(|v| !v.is_empty()).into_iter().collect());
            }
            Effect::EnvFile => self.env_files.push(env_file(&value)?),
            Effect::Mount => self.binds.push(mount_bind(&value)?),
            // `-d=false` asks for nothing.
            Effect::Detach => self.detach |= value != "false",
            Effect::Network if value == "host" => {}
            Effect::Network => self.unhonour(known.long),
            Effect::Ignored => {}
            // `--privileged=false` asks for nothing.
            Effect::Unhonoured if value == "false" => {}
            Effect::Unhonoured => self.unhonour(written_name(known, word)),
        }
        Ok(())
    }

    fn unhonour(&mut self, name: &'static str) {
        if !self.unhonoured.contains(&name) {
            self.unhonoured.push(name);
        }
    }
}

/// The options one word gives, each with a value written in the word itself: `--opt=value`,
/// `--opt`, `-it` (short flags together), `-eX=1` (a short option's value attached).
fn options_in(word: &str) -> Result<Vec<(&'static KnownOption, Option<String>)>, String> {
    let unknown = || format!("cmd: unknown docker run option '{word}' before the image");
    if let Some(long) = word.strip_prefix("--") {
        let (name, inline) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (long, None),
        };
        let known = KNOWN_OPTIONS
            .iter()
            .find(|o| o.long.strip_prefix("--") == Some(name))
            .ok_or_else(unknown)?;
        return Ok(vec![(known, inline)]);
    }
    let mut found = Vec::new();
    let shorts = &word[1..];
    for (at, c) in shorts.char_indices() {
        let known = KNOWN_OPTIONS
            .iter()
            .find(|o| o.is_short(c))
            .ok_or_else(unknown)?;
        if known.takes_value {
            let rest = &shorts[at + c.len_utf8()..];
            let rest = rest.strip_prefix('=').unwrap_or(rest);
            found.push((known, (!rest.is_empty()).then(|| rest.to_string())));
            break;
        }
        found.push((known, None));
    }
    Ok(found)
}

/// How the option was written, for the warning: `-p` or `--publish`.
fn written_name(known: &KnownOption, word: &str) -> &'static str {
    match known.short {
        Some(short) if !word.starts_with("--") => short,
        _ => known.long,
    }
}

/// `-e KEY=VALUE`. A bare `-e KEY` (docker: the host's value) is refused: a task file does
/// not read acrt's environment.
fn env_pair(value: &str) -> Result<(String, String), String> {
    value
        .split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| {
            format!(
                "cmd: -e {value}: give KEY=VALUE; a task file cannot take a value from acrt's environment"
            )
        })
}

/// `-v SOURCE:TARGET[:ro|rw]` where SOURCE is /workspace or a directory in it: a task file
/// never mounts a host path.
fn workspace_bind(value: &str) -> Result<WorkspaceBind, String> {
    let refused = |why: &str| format!("cmd: -v {value}: {why}");
    let parts: Vec<&str> = value.split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [s, t] => (*s, *t, None),
        [s, t, m] => (*s, *t, Some(*m)),
        _ => return Err(refused("give SOURCE:TARGET[:ro]")),
    };
    let read_only = match mode {
        None | Some("rw") => false,
        Some("ro") => true,
        Some(_) => return Err(refused("the mode may only be ro or rw")),
    };
    workspace_bind_of(source, target, read_only).map_err(|why| refused(&why))
}

/// A bind of `source` (/workspace or a directory in it) at `target`, or why not.
fn workspace_bind_of(source: &str, target: &str, read_only: bool) -> Result<WorkspaceBind, String> {
    let Some(rest) = in_workspace(source) else {
        return Err(
            "only the run's workspace (/workspace or a directory in it) may be mounted; a task file never mounts a host path or a volume".into(),
        );
    };
    if !target.starts_with('/') {
        return Err("the target must be an absolute path".into());
    }
    Ok(WorkspaceBind {
        source: rest.to_string(),
        target: target.to_string(),
        read_only,
    })
}

/// `path` (/workspace or under it) relative to the workspace, if it does not climb out.
fn in_workspace(path: &str) -> Option<&str> {
    path.strip_prefix(DEFAULT_WORKING_DIRECTORY)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .filter(|rest| !rest.split('/').any(|part| part == ".."))
        .map(|rest| rest.trim_matches('/'))
}

/// `--mount type=bind,source=/workspace/DIR,target=/PATH[,readonly]`: docker's key=value
/// list; only a bind of the workspace, as `-v` takes it.
fn mount_bind(value: &str) -> Result<WorkspaceBind, String> {
    let refused = |why: &str| format!("cmd: --mount {value}: {why}");
    let (mut kind, mut source, mut target, mut read_only) = (None, None, None, false);
    for field in value.split(',') {
        let (key, val) = match field.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (field, None),
        };
        match (key, val) {
            ("type", Some(v)) => kind = Some(v),
            ("source" | "src", Some(v)) => source = Some(v),
            ("target" | "destination" | "dst", Some(v)) => target = Some(v),
            ("readonly" | "ro", None | Some("true" | "1")) => read_only = true,
            ("readonly" | "ro", Some("false" | "0")) => read_only = false,
            _ => {
                return Err(refused(&format!(
                    "'{field}' is not taken here; give type=bind,source=/workspace/DIR,target=/PATH[,readonly]"
                )));
            }
        }
    }
    if kind != Some("bind") {
        return Err(refused(
            "only type=bind of the run's workspace may be mounted; a task file never mounts a volume or a host path",
        ));
    }
    let (Some(source), Some(target)) = (source, target) else {
        return Err(refused("give both source= and target="));
    };
    workspace_bind_of(source, target, read_only).map_err(|why| refused(&why))
}

/// `--env-file FILE`: a file of the workspace (relative to it, or under /workspace).
fn env_file(value: &str) -> Result<String, String> {
    let refused = |why: &str| format!("cmd: --env-file {value}: {why}");
    let rel = if value.starts_with('/') {
        in_workspace(value).ok_or_else(|| {
            refused("only a file of the run's workspace may be read; a task file never reads a host file")
        })?
    } else {
        value
    };
    if rel.is_empty() || rel.split('/').any(|part| part == "..") {
        return Err(refused("name a file in the run's workspace"));
    }
    Ok(rel.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_before_the_image_are_docker_runs() {
        let line = CmdLine::parse(
            "-it --rm -e X=1 --env=Y=a=b -w /workspace/sub -u 1000 --entrypoint sh --network host img:1 -c 'echo $X'",
        )
        .unwrap();
        assert_eq!(line.run.image, "docker.io/library/img:1");
        assert_eq!(line.run.args, ["-c", "echo $X"]);
        assert_eq!(
            line.env,
            [("X".into(), "1".into()), ("Y".into(), "a=b".into())]
        );
        assert_eq!(line.working_directory.as_deref(), Some("/workspace/sub"));
        assert_eq!(line.user.as_deref(), Some("1000"));
        assert_eq!(line.entry_point, Some(vec!["sh".to_string()]));
        assert!(line.unhonoured.is_empty());
        let plain = CmdLine::parse("img -t x").unwrap();
        assert_eq!(plain.run.args, ["-t", "x"]);
        assert_eq!(
            CmdLine::parse("-eX=2 img").unwrap().env,
            [("X".into(), "2".into())]
        );
    }

    #[test]
    fn unhonoured_options_are_named_once_and_unknown_ones_refused() {
        let line = CmdLine::parse("-p 80:80 --publish=81:81 -p 82:82 --privileged --network n img")
            .unwrap();
        assert_eq!(
            line.unhonoured,
            ["-p", "--publish", "--privileged", "--network"]
        );
        let e = CmdLine::parse("--cap-add ALL img").unwrap_err();
        assert!(e.contains("'--cap-add'"), "{e}");
        let e = CmdLine::parse("-itx img").unwrap_err();
        assert!(e.contains("'-itx'"), "{e}");
        assert!(
            CmdLine::parse("-e")
                .unwrap_err()
                .contains("-e needs a value")
        );
        assert!(CmdLine::parse("-t").unwrap_err().contains("no image"));
        assert!(
            CmdLine::parse("-e HOME img")
                .unwrap_err()
                .contains("KEY=VALUE")
        );
    }

    #[test]
    fn only_the_workspace_may_be_mounted() {
        let line = CmdLine::parse("-v /workspace/out:/out:ro -v /workspace:/w img").unwrap();
        assert_eq!(
            line.binds,
            [
                WorkspaceBind {
                    source: "out".into(),
                    target: "/out".into(),
                    read_only: true
                },
                WorkspaceBind {
                    source: "".into(),
                    target: "/w".into(),
                    read_only: false
                }
            ]
        );
        for refused in [
            "/etc:/x",
            "/workspace/../etc:/x",
            "/workspaces:/x",
            "data:/x",
            "/var/run/docker.sock:/var/run/docker.sock",
        ] {
            let e = CmdLine::parse(&format!("-v {refused} img")).unwrap_err();
            assert!(
                e.contains(&format!("-v {refused}")) && e.contains("host path"),
                "{e}"
            );
        }
    }

    #[test]
    fn an_entrypoint_is_one_program_as_docker_takes_it() {
        let line = CmdLine::parse("--entrypoint 'my tool' img").unwrap();
        assert_eq!(line.entry_point, Some(vec!["my tool".to_string()]));
        let line = CmdLine::parse("--entrypoint= img a").unwrap();
        assert_eq!(
            line.entry_point,
            Some(Vec::new()),
            "empty clears the image's"
        );
    }

    #[test]
    fn env_files_mounts_detach_and_name_as_docker_users_write_them() {
        let line = CmdLine::parse(
            "--env-file a.env --env-file=/workspace/sub/b.env --mount type=bind,source=/workspace/out,target=/out,readonly -d --name web img",
        )
        .unwrap();
        assert_eq!(line.env_files, ["a.env", "sub/b.env"]);
        assert_eq!(
            line.binds,
            [WorkspaceBind {
                source: "out".into(),
                target: "/out".into(),
                read_only: true
            }]
        );
        assert!(line.detach);
        assert_eq!(line.unhonoured, ["--name"]);
        assert!(!CmdLine::parse("--detach=false img").unwrap().detach);
        for (refused, named) in [
            ("--env-file /etc/environment", "never reads a host file"),
            ("--env-file ../x.env", "name a file in the run's workspace"),
            (
                "--env-file /workspace",
                "name a file in the run's workspace",
            ),
            ("--mount type=volume,source=v,target=/v", "only type=bind"),
            ("--mount source=/workspace,target=/w", "only type=bind"),
            ("--mount type=bind,source=/etc,target=/x", "host path"),
            (
                "--mount type=bind,source=/workspace,target=w",
                "absolute path",
            ),
            ("--mount type=bind,target=/w", "source= and target="),
            (
                "--mount type=bind,source=/workspace,target=/w,bind-propagation=shared",
                "'bind-propagation=shared'",
            ),
        ] {
            let e = CmdLine::parse(&format!("{refused} img")).unwrap_err();
            assert!(e.contains(named), "{refused}: {e}");
        }
    }
}
