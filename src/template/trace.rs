//! What a render did, observed from inside the engine: the parsed template is given marker
//! calls before each of its actions, and these record, in order, where each printing
//! action's output starts and ends in the output and the line of the last action reached.
//! So the output splits into literal text and action outputs (each with the action's place
//! in the file), and an error names the line of the action that failed.

use std::sync::{Arc, Mutex, PoisonError};

use gotmpl::Value;
use gotmpl::parse::{
    ActionNode, BranchNode, CommandNode, Expr, ListNode, Node, Number, PipeNode, Pos, SmolStr,
};

/// Marker functions' names: not valid in a task file (see [`first_unknown_function`]'s
/// caller), so a file cannot forge a marker.
const ENTER: &str = "acrt_trace_enter";
const LEAVE: &str = "acrt_trace_leave";
const LINE: &str = "acrt_trace_line";

pub fn is_marker(name: &str) -> bool {
    [ENTER, LEAVE, LINE].contains(&name)
}

/// One printing action's output: which action (its place in the file) and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub action: usize,
    pub start: usize,
    pub end: usize,
}

/// The output of a render and what the markers recorded.
#[derive(Debug, Default)]
pub struct Trace {
    pub out: String,
    pub spans: Vec<Span>,
    /// The line of the last action reached (1-based; 0 before any).
    pub line: usize,
    /// The output reached [`MAX_OUTPUT`].
    pub too_long: bool,
    open: Option<(usize, usize)>,
}

pub type SharedTrace = Arc<Mutex<Trace>>;

fn lock(trace: &SharedTrace) -> std::sync::MutexGuard<'_, Trace> {
    trace.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The longest output a render may make: a hostile file's loops cannot fill the memory.
pub const MAX_OUTPUT: usize = 16 << 20;

/// The engine's output goes into the trace, so markers know where they are in it.
pub struct TraceWriter(pub SharedTrace);

impl std::fmt::Write for TraceWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let mut trace = lock(&self.0);
        if trace.out.len() + s.len() > MAX_OUTPUT {
            trace.too_long = true;
            return Err(std::fmt::Error);
        }
        trace.out.push_str(s);
        Ok(())
    }
}

/// The marker functions, recording into `trace`. Each returns "" (prints nothing).
pub fn marker_functions(trace: &SharedTrace) -> Vec<(&'static str, gotmpl::ValueFunc)> {
    let enter = trace.clone();
    let leave = trace.clone();
    let line = trace.clone();
    let number = |args: &[Value], i: usize| {
        args.get(i)
            .and_then(Value::as_int)
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or_default()
    };
    vec![
        (
            ENTER,
            Arc::new(move |args: &[Value]| {
                let mut t = lock(&enter);
                t.line = number(args, 1);
                let at = t.out.len();
                t.open = Some((number(args, 0), at));
                Ok(Value::String("".into()))
            }),
        ),
        (
            LEAVE,
            Arc::new(move |_: &[Value]| {
                let mut t = lock(&leave);
                if let Some((action, start)) = t.open.take() {
                    let end = t.out.len();
                    t.spans.push(Span { action, start, end });
                }
                Ok(Value::String("".into()))
            }),
        ),
        (
            LINE,
            Arc::new(move |args: &[Value]| {
                lock(&line).line = number(args, 0);
                Ok(Value::String("".into()))
            }),
        ),
    ]
}

/// `tree` with a marker before every action (and after each that prints). Printing actions
/// are numbered in file order from `*next`, the same for every render of one text.
pub fn instrument(tree: &ListNode, next: &mut usize) -> ListNode {
    let mut nodes = Vec::with_capacity(tree.nodes.len() * 2);
    for node in &tree.nodes {
        match node {
            Node::Action(action) if action.pipe.decl.is_empty() => {
                let id = *next;
                *next += 1;
                let line = action.pos.line as i64;
                nodes.push(marker(ENTER, &[id as i64, line], action.pos));
                nodes.push(node.clone());
                nodes.push(marker(LEAVE, &[], action.pos));
            }
            Node::Action(action) => {
                nodes.push(marker(LINE, &[action.pos.line as i64], action.pos));
                nodes.push(node.clone());
            }
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                nodes.push(marker(LINE, &[b.pos.line as i64], b.pos));
                let b = instrument_branch(b, next);
                nodes.push(match node {
                    Node::If(_) => Node::If(b),
                    Node::Range(_) => Node::Range(b),
                    _ => Node::With(b),
                });
            }
            Node::Template(t) => {
                nodes.push(marker(LINE, &[t.pos.line as i64], t.pos));
                nodes.push(node.clone());
            }
            Node::List(list) => nodes.push(Node::List(instrument(list, next))),
            Node::Text(_) | Node::Define(_) | Node::Break(_) | Node::Continue(_) => {
                nodes.push(node.clone());
            }
        }
    }
    ListNode {
        pos: tree.pos,
        nodes,
    }
}

fn instrument_branch(b: &BranchNode, next: &mut usize) -> BranchNode {
    BranchNode {
        pos: b.pos,
        pipe: b.pipe.clone(),
        body: instrument(&b.body, next),
        else_body: b.else_body.as_ref().map(|e| instrument(e, next)),
    }
}

fn marker(name: &str, args: &[i64], pos: Pos) -> Node {
    let mut exprs = vec![Expr::Identifier(pos, SmolStr::new(name))];
    exprs.extend(args.iter().map(|n| Expr::Number(pos, Number::Int(*n))));
    Node::Action(ActionNode {
        pos,
        pipe: PipeNode {
            pos,
            decl: Vec::new(),
            commands: vec![CommandNode { pos, args: exprs }],
            is_assign: false,
        },
    })
}

/// The first function `tree` calls that `known` does not know, with its line.
pub fn first_unknown_function(
    tree: &ListNode,
    known: &dyn Fn(&str) -> bool,
) -> Option<(String, usize)> {
    tree.nodes.iter().find_map(|node| match node {
        Node::Action(a) => unknown_in_pipe(&a.pipe, known),
        Node::If(b) | Node::Range(b) | Node::With(b) => unknown_in_pipe(&b.pipe, known)
            .or_else(|| first_unknown_function(&b.body, known))
            .or_else(|| {
                b.else_body
                    .as_ref()
                    .and_then(|e| first_unknown_function(e, known))
            }),
        Node::Template(t) => t.pipe.as_ref().and_then(|p| unknown_in_pipe(p, known)),
        Node::List(list) => first_unknown_function(list, known),
        Node::Define(d) => first_unknown_function(&d.body, known),
        Node::Text(_) | Node::Break(_) | Node::Continue(_) => None,
    })
}

fn unknown_in_pipe(pipe: &PipeNode, known: &dyn Fn(&str) -> bool) -> Option<(String, usize)> {
    pipe.commands
        .iter()
        .flat_map(|c| c.args.iter())
        .find_map(|e| unknown_in_expr(e, known))
}

fn unknown_in_expr(expr: &Expr, known: &dyn Fn(&str) -> bool) -> Option<(String, usize)> {
    match expr {
        Expr::Identifier(pos, name) if !known(name) => Some((name.to_string(), pos.line)),
        Expr::Pipe(_, pipe) => unknown_in_pipe(pipe, known),
        Expr::Chain(_, inner, _) => unknown_in_expr(inner, known),
        _ => None,
    }
}
