//! Screens. There is one: the uploader, top to bottom in the order of the work.

pub mod uploader;
