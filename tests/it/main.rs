//! The integration test suite, in one binary to keep link time down.

mod client;
mod decode;
mod determinism;
mod diff;
mod equivalence;
mod errors;
mod freshness;
mod generation_errors;
mod openapi3;
mod release;
mod releases;
mod rules;
mod sdk_snapshots;
mod webhook;
mod wire;
