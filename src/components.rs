//! Reusable pieces of the screen, one component per file, named as nouns.

pub mod callback_verifier;
pub mod cell_detail;
pub mod connection_form;
pub mod data_grid;
pub mod file_picker;
pub mod file_summary;
pub mod find_replace;
pub mod grid_row;
pub mod grid_toolbar;
pub mod host_warnings;
pub mod job_card;
pub mod job_history;
pub mod load_progress;
pub mod mapping_table;
pub mod next_step;
pub mod notice_view;
pub mod object_picker;
pub mod paste_box;
pub mod problem_summary;
pub mod reading_options;
pub mod record_list;
pub mod step;
pub mod upload_button;
pub mod upload_options;
pub mod upload_policy;
pub mod upload_totals;
