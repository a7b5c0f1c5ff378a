//! acrt: `az acr task` for any OCI registry, run locally.

pub mod attest;
pub mod builder;
pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod dockerfile;
pub mod echo;
pub mod engine;
pub mod error;
pub mod host;
pub mod model;
pub mod output;
pub mod registry;
pub mod settings;
pub mod store;
pub mod template;
pub mod watch;
