//! What a cmd step carries out: its line's commands in order, each a container run or a
//! status acrt sets itself (`true`, `false`, `exit N`). ACR runs `docker run <options>
//! <cmd>` in its agent's shell, so the first command is the container; what follows `&&`,
//! `||` or `;` runs on ACR's agent host. acrt runs no host programs: a later command is a
//! further container run when it names an image unmistakably (a tag, a digest or a registry),
//! a status when it is `true`, `false`, `:` or `exit`, and refused otherwise.

use super::run_options::{CmdLine, ImageRun};
use super::shell::{Condition, ShellLine, SimpleCommand, Streams};

/// A cmd step's commands: the first is always a container run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmdList {
    pub commands: Vec<Listed>,
}

/// One command of the list and when it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub condition: Condition,
    pub command: ListCommand,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListCommand {
    Container(ContainerRun),
    /// `true`, `false`, `:`: the status they end with.
    Status(i32),
    /// `exit [N]`: the list ends, with N or the last command's status.
    Exit(Option<i32>),
}

/// A container run of the list, with where its output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerRun {
    pub run: ImageRun,
    pub streams: Streams,
}

impl CmdList {
    /// The list a parsed line makes, and the first command's docker run options.
    pub fn of_line(line: ShellLine) -> Result<(CmdLine, CmdList), String> {
        let mut commands = line.commands.into_iter();
        let (_, first) = commands.next().ok_or("cmd is empty")?;
        let options = CmdLine::from_words(&first.words)?;
        let mut listed = vec![Listed {
            condition: Condition::Always,
            command: ListCommand::Container(ContainerRun {
                run: options.run.clone(),
                streams: first.streams,
            }),
        }];
        for (condition, command) in commands {
            listed.push(Listed {
                condition,
                command: later_command(command)?,
            });
        }
        Ok((options, CmdList { commands: listed }))
    }

    /// The first container the step runs (what the log names as the step's image).
    pub fn first_run(&self) -> &ImageRun {
        match self.commands.first().map(|l| &l.command) {
            Some(ListCommand::Container(c)) => &c.run,
            _ => unreachable!("a cmd list starts with a container run"),
        }
    }

    /// A single container run with its output in the log: what a detached step may be.
    pub fn is_single_run(&self) -> bool {
        self.commands.len() == 1
    }
}

/// A command after `&&`, `||` or `;`.
fn later_command(command: SimpleCommand) -> Result<ListCommand, String> {
    let SimpleCommand { words, streams } = command;
    let Some((name, args)) = words.split_first() else {
        return Err(
            "cmd: a redirection without a command after '&&', '||' or ';' is not supported".into(),
        );
    };
    let status = match name.as_str() {
        "true" | ":" => Some(ListCommand::Status(0)),
        "false" => Some(ListCommand::Status(1)),
        "exit" => Some(ListCommand::Exit(exit_code(args)?)),
        _ => None,
    };
    if let Some(status) = status {
        if streams != Streams::default() {
            return Err(format!(
                "cmd: redirecting the output of '{name}' is not supported: it writes nothing"
            ));
        }
        return Ok(status);
    }
    if !names_an_image(name) {
        return Err(format!(
            "cmd: '{name}' after '&&', '||' or ';' is a host command: in ACR it runs on the \
             agent's host, and acrt never runs a task file's commands on its own host; run it \
             in a container (IMAGE:TAG {name} ...) or in the first command's shell \
             (IMAGE sh -c '... && {name} ...')"
        ));
    }
    let image = crate::model::image::ImageRef::parse(name)
        .map_err(|e| format!("cmd: {e:#}"))?
        .docker_name();
    Ok(ListCommand::Container(ContainerRun {
        run: ImageRun {
            image,
            args: args.to_vec(),
        },
        streams,
    }))
}

/// `exit`'s code: none (the last status), or a number taken modulo 256 as the shell does.
fn exit_code(args: &[String]) -> Result<Option<i32>, String> {
    match args {
        [] => Ok(None),
        [n] => n
            .parse::<i64>()
            .map(|n| Some((n & 0xff) as i32))
            .map_err(|_| format!("cmd: 'exit {n}': give a number")),
        _ => Err("cmd: 'exit' takes one number".into()),
    }
}

/// A word that can only be an image, never a program on a host: it has a tag or a digest,
/// or its first part is a registry (`host.domain/`, `host:port/`, `localhost/`).
fn names_an_image(word: &str) -> bool {
    if word.starts_with(['.', '/', '-']) || crate::model::image::ImageRef::parse(word).is_err() {
        return false;
    }
    let last = word.rsplit('/').next().unwrap_or(word);
    let tagged = last.contains(':') || word.contains('@');
    let registry = word.split_once('/').is_some_and(|(first, _)| {
        first.contains('.') || first.contains(':') || first == "localhost"
    });
    tagged || registry
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::steps::shell::{self, Sink};

    fn list(text: &str) -> Result<CmdList, String> {
        let line = shell::parse(text, &[])?;
        CmdList::of_line(line).map(|(_, l)| l)
    }

    #[test]
    fn later_commands_are_images_or_statuses() {
        let l = list("-e X=1 img:1 a || true; reg.io/x b && exit 3 || false").unwrap();
        let kinds: Vec<(Condition, &ListCommand)> = l
            .commands
            .iter()
            .map(|c| (c.condition, &c.command))
            .collect();
        assert_eq!(kinds[1], (Condition::IfFailed, &ListCommand::Status(0)));
        let (Condition::Always, ListCommand::Container(later)) = kinds[2] else {
            panic!("an image after ';' is a container run: {kinds:?}");
        };
        assert_eq!(later.run.image, "reg.io/x:latest");
        assert_eq!(later.run.args, ["b"]);
        assert_eq!(
            kinds[3],
            (Condition::IfSucceeded, &ListCommand::Exit(Some(3)))
        );
        assert_eq!(kinds[4], (Condition::IfFailed, &ListCommand::Status(1)));
        assert_eq!(l.first_run().args, ["a"]);
        assert_eq!(
            list("img && exit").unwrap().commands[1].command,
            ListCommand::Exit(None)
        );
        assert_eq!(
            list("img; exit 300").unwrap().commands[1].command,
            ListCommand::Exit(Some(44))
        );
    }

    #[test]
    fn a_host_command_after_the_container_is_refused() {
        for (text, named) in [
            ("img a && echo done", "'echo'"),
            ("img a || busybox echo x", "'busybox'"),
            ("img a; ./scripts/x.sh", "'./scripts/x.sh'"),
            ("img a; /bin/rm -rf x", "'/bin/rm'"),
        ] {
            let e = list(text).unwrap_err();
            assert!(
                e.contains(named) && e.contains("host command"),
                "{text}: {e}"
            );
        }
        assert!(list("img; exit x").unwrap_err().contains("give a number"));
        assert!(
            list("img; true > /dev/null")
                .unwrap_err()
                .contains("'true'")
        );
    }

    #[test]
    fn the_first_command_keeps_its_redirections() {
        let l = list("img a > out.txt 2>&1").unwrap();
        let ListCommand::Container(c) = &l.commands[0].command else {
            panic!("a container first");
        };
        let file = Sink::File {
            path: "out.txt".into(),
            append: false,
        };
        assert_eq!(c.streams.stdout, file);
        assert_eq!(c.streams.stderr, file);
    }
}
