//! Reusable pieces of the screen, one component per file, named as nouns.

pub mod connection_form;
pub mod data_grid;
pub mod file_picker;
pub mod file_summary;
pub mod job_card;
pub mod load_progress;
pub mod mapping_table;
pub mod notice_view;
pub mod object_picker;
pub mod paste_box;
pub mod problem_summary;
pub mod reading_options;
pub mod record_list;
pub mod step;
