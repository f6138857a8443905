//! Bulk Uploader's pure logic. Everything here is a function of its inputs: no network, no
//! files, no clock, no browser. The web app and the sandbox both build on these types, so the
//! client and the emulated tenant cannot drift apart, and every decision (which encoding, which
//! delimiter, which rows are valid, when a job is finished, whether a signature holds) is unit
//! tested natively.
//!
//! The flow through the modules: [`decode`] turns bytes into text, [`dialect`] sniffs how the
//! text is delimited ([`guess`] says how sure each guess is), [`table`] parses it into rows
//! that keep their line numbers, [`mapping`] matches columns to the object's [`metadata`],
//! [`validate`] checks every row with the [`checks`] and yields [`validate::ValidRow`]s, and
//! only those can be written by [`upload`]. [`api`] builds requests and parses responses,
//! [`job`] knows the job lifecycle, [`poll`] schedules status requests, and [`signature`]
//! verifies callbacks.

#![deny(missing_docs)]

pub mod api;
pub mod capability;
pub mod checks;
pub mod connection;
pub mod decode;
pub mod dialect;
pub mod edits;
pub mod excel_format;
pub mod export;
pub mod failures;
pub mod fate;
pub mod guess;
pub mod host;
pub mod ingest;
pub mod job;
pub mod joblog;
pub mod legacy;
pub mod mapping;
pub mod metadata;
pub mod outcome;
pub mod poll;
pub mod reading;
pub mod secret;
pub mod sheet;
pub mod signature;
pub mod submit;
pub mod table;
#[cfg(test)]
mod test_rng;
mod text_decoder;
mod unique;
pub mod upload;
pub mod validate;
pub mod workbook;

pub use api::{ApiError, ApiRequest, ApiResponse};
pub use connection::{ApiBase, Credentials};
/// The text encodings a file can be read in (the reader names one when a read must start
/// again), re-exported so callers name the same type.
pub use encoding_rs::Encoding;
pub use job::{JobId, JobState, JobStatus};
pub use metadata::{Field, FieldType, ObjectMetadata};
pub use secret::Secret;
/// The URL type of every request, re-exported so callers parse URLs the same way.
pub use url;
