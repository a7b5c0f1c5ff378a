//! A cmd line as ACR's shell reads it. ACR hands `docker run <options> <cmd>` to its agent's
//! `/bin/sh`, so quoting, `$VAR`, `&&`, `||`, `;`, redirections and line continuations in a
//! cmd are shell syntax. acrt never hands a task file to a host shell: the line is parsed
//! with a POSIX shell grammar (brush-parser) and only its structure is carried out: a list of
//! commands joined by `&&`, `||` and `;`, each a container run or `true`, `false`, `:`,
//! `exit N`; output redirected to `/dev/null` or to a file inside the run's workspace;
//! `$VAR` from the step's `env` only. Anything else is refused before the run starts.

use brush_parser::ast::{self, IoFileRedirectKind, IoFileRedirectTarget, IoRedirect};
use brush_parser::word::{self, Parameter, ParameterExpr, ParameterTestType, WordPiece};
use brush_parser::{Parser, ParserOptions};

use super::DEFAULT_WORKING_DIRECTORY;

/// When a command of the list runs, given how the one before it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// First, or after `;` or a new line.
    Always,
    /// After `&&`.
    IfSucceeded,
    /// After `||`.
    IfFailed,
}

impl Condition {
    /// Whether a command with this condition runs after a command that ended with `status`.
    pub fn holds(self, status: i32) -> bool {
        match self {
            Condition::Always => true,
            Condition::IfSucceeded => status == 0,
            Condition::IfFailed => status != 0,
        }
    }
}

/// Where a container's output stream goes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Sink {
    /// The run's log (no redirection).
    #[default]
    Log,
    /// `/dev/null`.
    Null,
    /// A file of the run's workspace: its path relative to the workspace, normalised (no
    /// `.` or `..`); `>>` appends.
    File { path: String, append: bool },
}

/// Where a container's standard output and standard error go.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Streams {
    pub stdout: Sink,
    pub stderr: Sink,
}

/// One simple command of the line: its words expanded and unquoted, its redirections read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    pub words: Vec<String>,
    pub streams: Streams,
}

/// A cmd line: its simple commands in order, each with when it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellLine {
    pub commands: Vec<(Condition, SimpleCommand)>,
}

/// Reads `text` as ACR's shell would, with `$NAME` taken from `env` (a name not in it is
/// empty); a construct acrt does not carry out is an error naming it.
pub fn parse(text: &str, env: &[(String, String)]) -> Result<ShellLine, String> {
    let program = Parser::new(std::io::Cursor::new(text), &options())
        .parse_program()
        .map_err(|e| {
            format!("cmd: the line is not valid shell ({e}); check its quotes and operators")
        })?;
    let expander = Expander { env };
    let mut commands = Vec::new();
    for list in &program.complete_commands {
        for ast::CompoundListItem(and_or, separator) in &list.0 {
            if matches!(separator, ast::SeparatorOperator::Async) {
                return Err(refused(
                    "a background command ('&')",
                    "acrt waits for every command of a cmd line",
                ));
            }
            commands.push((Condition::Always, expander.pipeline(&and_or.first)?));
            for next in &and_or.additional {
                let (condition, pipeline) = match next {
                    ast::AndOr::And(p) => (Condition::IfSucceeded, p),
                    ast::AndOr::Or(p) => (Condition::IfFailed, p),
                };
                commands.push((condition, expander.pipeline(pipeline)?));
            }
        }
    }
    if commands.is_empty() {
        return Err("cmd is empty: give an image and its arguments".into());
    }
    Ok(ShellLine { commands })
}

/// The words of `text` with quotes removed and nothing expanded (`$X` stays as written): a
/// build step's docker build arguments and an entry point, read with a cmd line's quoting.
/// Text the shell cannot tokenize (an unclosed quote) is split at blanks.
pub fn literal_words(text: &str) -> Vec<String> {
    let Ok(tokens) = brush_parser::tokenize_str(text) else {
        return text.split_whitespace().map(str::to_string).collect();
    };
    tokens
        .iter()
        .filter_map(|token| match token {
            brush_parser::Token::Word(w, _) => Some(literal_word(w)),
            brush_parser::Token::Operator(o, _) => (o.trim() != "").then(|| o.clone()),
        })
        .collect()
}

fn literal_word(word: &str) -> String {
    let Ok(pieces) = word::parse(word, &options()) else {
        return word.to_string();
    };
    pieces.iter().map(|p| as_written(p, word, false)).collect()
}

/// A piece with its quotes removed; an expansion as written.
fn as_written(piece: &word::WordPieceWithSource, word: &str, in_quotes: bool) -> String {
    match &piece.piece {
        WordPiece::Text(t) | WordPiece::SingleQuotedText(t) => t.clone(),
        WordPiece::EscapeSequence(e) => unescape(e, in_quotes),
        WordPiece::DoubleQuotedSequence(inner) => {
            inner.iter().map(|p| as_written(p, word, true)).collect()
        }
        _ => word
            .get(piece.start_index..piece.end_index)
            .unwrap_or_default()
            .to_string(),
    }
}

/// The POSIX grammar, with bash's `&>` (task files use it); bash's other extensions are
/// refused where they appear.
fn options() -> ParserOptions {
    ParserOptions {
        enable_extended_globbing: false,
        posix_mode: true,
        sh_mode: false,
        tilde_expansion_at_word_start: true,
        tilde_expansion_after_colon: false,
        ..ParserOptions::default()
    }
}

/// The error for a construct acrt does not carry out: what it is, and why.
fn refused(construct: &str, why: &str) -> String {
    format!(
        "cmd: {construct} is not supported: {why}; acrt carries out only commands joined by \
         '&&', '||' and ';' (each an image to run, or true, false, exit N), output redirected to \
         /dev/null or a file of the workspace, and $VAR from the step's env"
    )
}

const HOST_PROGRAM: &str = "in ACR it runs on the agent's host, and acrt never runs a task file's commands on its own host";

struct Expander<'a> {
    env: &'a [(String, String)],
}

impl Expander<'_> {
    fn pipeline(&self, pipeline: &ast::Pipeline) -> Result<SimpleCommand, String> {
        if pipeline.timed.is_some() {
            return Err(refused("'time'", HOST_PROGRAM));
        }
        if pipeline.bang {
            return Err(refused(
                "'!' (negating a status)",
                "write the list with '||' or '&&' instead",
            ));
        }
        match pipeline.seq.as_slice() {
            [command] => self.command(command),
            _ => Err(refused(
                "a pipe ('|')",
                "it would feed a program on ACR's agent host",
            )),
        }
    }

    fn command(&self, command: &ast::Command) -> Result<SimpleCommand, String> {
        let construct = match command {
            ast::Command::Simple(simple) => return self.simple(simple),
            ast::Command::Function(_) => "a function definition",
            ast::Command::ExtendedTest(..) => "a test ('[[ ]]')",
            ast::Command::Compound(compound, _) => match compound {
                ast::CompoundCommand::Subshell(_) => "a subshell ('( )')",
                ast::CompoundCommand::BraceGroup(_) => "a brace group ('{ }')",
                ast::CompoundCommand::IfClause(_) => "'if'",
                ast::CompoundCommand::ForClause(_)
                | ast::CompoundCommand::ArithmeticForClause(_) => "'for'",
                ast::CompoundCommand::WhileClause(_) => "'while'",
                ast::CompoundCommand::UntilClause(_) => "'until'",
                ast::CompoundCommand::CaseClause(_) => "'case'",
                ast::CompoundCommand::Arithmetic(_) => "arithmetic ('(( ))')",
                ast::CompoundCommand::Coprocess(_) => "'coproc'",
            },
        };
        Err(refused(
            construct,
            "it is shell code for ACR's agent host; put it in the container's own shell \
             (IMAGE sh -c '...')",
        ))
    }

    fn simple(&self, simple: &ast::SimpleCommand) -> Result<SimpleCommand, String> {
        use ast::CommandPrefixOrSuffixItem as Item;
        let prefix = simple.prefix.iter().flat_map(|p| p.0.iter());
        if let Some(Item::AssignmentWord(_, w)) = prefix
            .clone()
            .find(|i| matches!(i, Item::AssignmentWord(..)))
        {
            return Err(refused(
                &format!("a variable assignment ('{w}')"),
                "give the step's variables in its env",
            ));
        }
        let name = simple.word_or_name.clone().map(Item::Word);
        let suffix = simple.suffix.iter().flat_map(|s| s.0.iter());
        let mut words = Vec::new();
        let mut streams = Streams::default();
        // In order: a redirection's `$VAR` and `2>&1` depend on what came before.
        for item in prefix.chain(name.as_ref()).chain(suffix) {
            match item {
                // After the command name, `X=1` is an ordinary word (docker run's argument).
                Item::Word(w) | Item::AssignmentWord(_, w) => words.extend(self.fields(&w.value)?),
                Item::IoRedirect(r) => self.redirect(r, &mut streams)?,
                Item::ProcessSubstitution(..) => {
                    return Err(refused(
                        "a process substitution ('<( )' or '>( )')",
                        HOST_PROGRAM,
                    ));
                }
            }
        }
        Ok(SimpleCommand { words, streams })
    }

    fn redirect(&self, redirect: &IoRedirect, streams: &mut Streams) -> Result<(), String> {
        match redirect {
            IoRedirect::OutputAndError(target, append) => {
                let sink = self.sink(&target.value, *append, streams)?;
                streams.stdout = sink.clone();
                streams.stderr = sink;
                Ok(())
            }
            IoRedirect::HereDocument(..) | IoRedirect::HereString(..) => Err(refused(
                "a here-document ('<<')",
                "a container's standard input is not given here",
            )),
            IoRedirect::File(fd, kind, target) => self.file_redirect(*fd, kind, target, streams),
        }
    }

    fn file_redirect(
        &self,
        fd: Option<ast::IoFd>,
        kind: &IoFileRedirectKind,
        target: &IoFileRedirectTarget,
        streams: &mut Streams,
    ) -> Result<(), String> {
        let append = match kind {
            IoFileRedirectKind::Write | IoFileRedirectKind::Clobber => false,
            IoFileRedirectKind::Append => true,
            IoFileRedirectKind::DuplicateOutput => {
                let source = match target {
                    IoFileRedirectTarget::Fd(n) => Some(*n),
                    IoFileRedirectTarget::Duplicate(w) => w.value.parse().ok(),
                    _ => None,
                };
                let sink = match source {
                    Some(1) => streams.stdout.clone(),
                    Some(2) => streams.stderr.clone(),
                    _ => {
                        return Err(refused(
                            &format!("the redirection '>&{target}'"),
                            "only standard output (1) and standard error (2) can be joined",
                        ));
                    }
                };
                *output_stream(fd, streams)? = sink;
                return Ok(());
            }
            IoFileRedirectKind::Read
            | IoFileRedirectKind::ReadAndWrite
            | IoFileRedirectKind::DuplicateInput => {
                return Err(refused(
                    "an input redirection ('<')",
                    "a container's standard input is not given here",
                ));
            }
        };
        let path = match target {
            IoFileRedirectTarget::Filename(w) => &w.value,
            _ => {
                return Err(refused(
                    &format!("the redirection to '{target}'"),
                    "redirect to /dev/null or a file of the workspace",
                ));
            }
        };
        let sink = self.sink(path, append, streams)?;
        *output_stream(fd, streams)? = sink;
        Ok(())
    }

    /// Where a redirection's target word sends output.
    fn sink(&self, target: &str, append: bool, streams: &Streams) -> Result<Sink, String> {
        let path = match self.fields(target)?.as_slice() {
            [one] => one.clone(),
            _ => {
                return Err(format!(
                    "cmd: the redirection target '{target}' is not one file name"
                ));
            }
        };
        match path.as_str() {
            "/dev/null" => return Ok(Sink::Null),
            "/dev/stdout" => return Ok(streams.stdout.clone()),
            "/dev/stderr" => return Ok(streams.stderr.clone()),
            _ => {}
        }
        let relative = if let Some(rest) = path.strip_prefix(DEFAULT_WORKING_DIRECTORY) {
            if !(rest.is_empty() || rest.starts_with('/')) {
                return Err(outside(&path));
            }
            rest.trim_start_matches('/')
        } else if path.starts_with('/') {
            return Err(outside(&path));
        } else {
            &path
        };
        let normal = normalise(relative).ok_or_else(|| outside(&path))?;
        Ok(Sink::File {
            path: normal,
            append,
        })
    }

    /// A word's fields after parameter expansion, field splitting and quote removal.
    fn fields(&self, text: &str) -> Result<Vec<String>, String> {
        let pieces = word::parse(text, &options())
            .map_err(|e| format!("cmd: the word '{text}' is not valid shell ({e})"))?;
        let mut fields = Fields::default();
        for piece in &pieces {
            match &piece.piece {
                WordPiece::ParameterExpansion(expr) => {
                    let value = self.parameter(expr, text)?;
                    fields.push_unquoted_expansion(&value);
                }
                other => {
                    let literal = self.literal(other, text, false)?;
                    fields.push_text(&literal);
                }
            }
        }
        Ok(fields.finish())
    }

    /// A piece's text where no field splitting applies (quoted, or literal).
    fn literal(&self, piece: &WordPiece, word: &str, in_quotes: bool) -> Result<String, String> {
        Ok(match piece {
            WordPiece::Text(t) | WordPiece::SingleQuotedText(t) => t.clone(),
            WordPiece::EscapeSequence(e) => unescape(e, in_quotes),
            WordPiece::DoubleQuotedSequence(inner) => {
                let mut out = String::new();
                for p in inner {
                    out.push_str(&self.literal(&p.piece, word, true)?);
                }
                out
            }
            WordPiece::ParameterExpansion(expr) => self.parameter(expr, word)?,
            WordPiece::CommandSubstitution(_) => {
                return Err(refused(
                    &format!("a command substitution ('$(...)' in '{word}')"),
                    HOST_PROGRAM,
                ));
            }
            WordPiece::BackquotedCommandSubstitution(_) => {
                return Err(refused(
                    &format!("a command substitution (backticks in '{word}')"),
                    HOST_PROGRAM,
                ));
            }
            WordPiece::ArithmeticExpression(_) => {
                return Err(refused(
                    &format!("an arithmetic expansion ('$((...))' in '{word}')"),
                    "compute it in the container's own shell",
                ));
            }
            WordPiece::TildeExpansion(_) => {
                return Err(refused(
                    &format!("a tilde expansion ('~' in '{word}')"),
                    "it names a home directory on ACR's agent host; quote it to pass '~' on",
                ));
            }
            WordPiece::AnsiCQuotedText(_) | WordPiece::GettextDoubleQuotedSequence(_) => {
                return Err(refused(
                    &format!("bash quoting ($'...' or $\"...\" in '{word}')"),
                    "ACR's shell is /bin/sh",
                ));
            }
        })
    }

    /// `$NAME`, `${NAME}`, `${#NAME}`, `${NAME:-word}`, `${NAME:+word}` (and without ':')
    /// from the step's env.
    fn parameter(&self, expr: &ParameterExpr, word: &str) -> Result<String, String> {
        let unsupported = || {
            refused(
                &format!("the expansion in '{word}'"),
                "only $NAME, ${NAME}, ${#NAME}, ${NAME:-word} and ${NAME:+word} of the step's env \
                 are expanded",
            )
        };
        let name = |parameter: &Parameter, indirect: bool| match (parameter, indirect) {
            (Parameter::Named(n), false) => Ok(self.value(n)),
            _ => Err(unsupported()),
        };
        let is_set = |value: &Option<&str>, test: &ParameterTestType| match test {
            ParameterTestType::UnsetOrNull => value.is_some_and(|v| !v.is_empty()),
            ParameterTestType::Unset => value.is_some(),
        };
        match expr {
            ParameterExpr::Parameter {
                parameter,
                indirect,
            } => Ok(name(parameter, *indirect)?.unwrap_or_default().to_string()),
            ParameterExpr::ParameterLength {
                parameter,
                indirect,
            } => Ok(name(parameter, *indirect)?
                .map_or(0, |v| v.chars().count())
                .to_string()),
            ParameterExpr::UseDefaultValues {
                parameter,
                indirect,
                test_type,
                default_value,
            } => {
                let value = name(parameter, *indirect)?;
                if is_set(&value, test_type) {
                    Ok(value.unwrap_or_default().to_string())
                } else {
                    self.joined(default_value.as_deref().unwrap_or_default())
                }
            }
            ParameterExpr::UseAlternativeValue {
                parameter,
                indirect,
                test_type,
                alternative_value,
            } => {
                let value = name(parameter, *indirect)?;
                if is_set(&value, test_type) {
                    self.joined(alternative_value.as_deref().unwrap_or_default())
                } else {
                    Ok(String::new())
                }
            }
            _ => Err(unsupported()),
        }
    }

    /// A word inside `${NAME:-...}`, expanded into one string.
    fn joined(&self, text: &str) -> Result<String, String> {
        Ok(self.fields(text)?.join(" "))
    }

    /// The step env's value of `name`; never acrt's own environment.
    fn value(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The stream a redirection's file descriptor names (none: standard output).
fn output_stream(fd: Option<ast::IoFd>, streams: &mut Streams) -> Result<&mut Sink, String> {
    match fd {
        None | Some(1) => Ok(&mut streams.stdout),
        Some(2) => Ok(&mut streams.stderr),
        Some(n) => Err(refused(
            &format!("a redirection of file descriptor {n}"),
            "only standard output (1) and standard error (2) can be redirected",
        )),
    }
}

/// The field a redirection target names is outside the workspace.
fn outside(path: &str) -> String {
    refused(
        &format!("the redirection to '{path}'"),
        "a cmd line may write only to /dev/null or to a file inside the run's workspace \
         (a path relative to it, or under /workspace)",
    )
}

/// `path` (relative) without `.` and `..`, or None when it leaves the workspace or names it.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `\X` as the shell reads it: outside quotes the character itself; inside double quotes
/// only `$`, `` ` ``, `"` and `\` lose the backslash; a backslash-newline is a continuation.
fn unescape(sequence: &str, in_quotes: bool) -> String {
    let Some(rest) = sequence.strip_prefix('\\') else {
        return sequence.to_string();
    };
    match rest {
        "\n" => String::new(),
        r if !in_quotes || matches!(r, "$" | "`" | "\"" | "\\") => r.to_string(),
        _ => sequence.to_string(),
    }
}

/// The fields of one word being built: text joins the current field; an unquoted
/// expansion is split at blanks (IFS's default).
#[derive(Default)]
struct Fields {
    done: Vec<String>,
    current: String,
    /// Whether the current field exists (a quoted empty string makes one).
    open: bool,
}

impl Fields {
    fn push_text(&mut self, text: &str) {
        self.current.push_str(text);
        self.open = true;
    }

    fn push_unquoted_expansion(&mut self, value: &str) {
        let blank = |c: char| matches!(c, ' ' | '\t' | '\n');
        let mut parts = value.split(blank).peekable();
        let mut first = true;
        while let Some(part) = parts.next() {
            if !first && self.open {
                self.done.push(std::mem::take(&mut self.current));
                self.open = false;
            }
            first = false;
            if !part.is_empty() {
                self.current.push_str(part);
                self.open = true;
            }
            if parts.peek().is_none() {
                break;
            }
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.open {
            self.done.push(self.current);
        }
        self.done
    }
}

#[cfg(test)]
mod tests;
