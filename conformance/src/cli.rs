//! The binary's subcommands. Everything here is the command line: flags (clap derive),
//! printing, exit codes and `anyhow` context; the work itself is the library's.
//!
//! Exit codes: 0 all good, 1 deviations or findings, 2 could not run, 130 interrupted.

pub mod audit;
pub mod diff;
pub mod lint;
pub mod live_args;
pub mod migrate;
pub mod mock;
pub mod output;
pub mod record;
pub mod replay;
pub mod session;
