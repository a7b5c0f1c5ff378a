//! Integration tests: the real binary, through one shared harness.

mod harness;

mod acr_examples;
mod az_compat;
mod az_fields;
mod bounds;
mod contexts;
mod credentials;
mod dockerfiles;
mod echoed;
mod faults;
mod generated;
mod graph;
mod hostile;
mod import;
mod leftovers;
mod mirror;
mod named_files;
mod output;
mod podman;
mod properties;
mod realm;
mod rebase;
mod registries;
mod runs;
mod secrets;
mod store;
mod tables;
mod taskfiles;
mod tasks;
mod timers;
mod tokens;
mod transfers;
mod watch;
mod watch_cost;
mod watch_graph;
