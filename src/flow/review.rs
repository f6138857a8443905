//! The Columns and Review steps' state: which column goes to which field, the person's
//! edits, the validation kept current, what it found (counted), and where every row of the
//! file stands with the upload (for the totals line and the footer).

use crate::checked::{Checked, Standing};
use crate::loading::Tickets;
use bulk_core::edits::Edits;
use bulk_core::mapping::Mapping;
use bulk_core::validate::Report;
use leptos::prelude::*;

/// The rows as they will be sent.
#[derive(Clone, Copy)]
pub struct Review {
    /// Columns to fields.
    pub mapping: RwSignal<Mapping>,
    /// The mapping came from browser storage.
    pub mapping_remembered: RwSignal<bool>,
    /// The person's edits and deleted rows, with undo history.
    pub edits: RwSignal<Edits>,
    /// The validation of the rows (kept current as the person edits).
    pub report: RwSignal<Option<Report>>,
    /// What the check found, counted: what the screens show of the report (asked again
    /// whenever the report changes, see [`crate::flow::Flow::new`]).
    pub checked: RwSignal<Option<Checked>>,
    /// Upload only when no row has an error (instead of skipping those rows).
    pub block_on_errors: RwSignal<bool>,
    /// Where the rows stand with the upload (the file's totals, the rows to send again),
    /// asked again when the rows, the check or the upload's ledger change (see
    /// [`crate::flow::Flow::new`]); `None` until the rows are checked.
    pub standing: RwSignal<Option<Standing>>,
    /// The current check: an older one that finds its ticket outdated stops.
    pub(crate) checks: Tickets,
    /// Edits asked for and not applied yet (they are applied in a later task).
    pub(crate) edits_pending: StoredValue<u32>,
}

impl Review {
    /// Nothing mapped or checked yet.
    pub fn new() -> Review {
        let (report, edits) = (
            RwSignal::new(None::<Report>),
            RwSignal::new(Edits::default()),
        );
        Review {
            checked: RwSignal::new(None),
            mapping: RwSignal::new(Mapping::default()),
            mapping_remembered: RwSignal::new(false),
            edits,
            report,
            block_on_errors: RwSignal::new(false),
            standing: RwSignal::new(None),
            checks: Tickets::new(),
            edits_pending: StoredValue::new(0),
        }
    }
}

impl Default for Review {
    fn default() -> Self {
        Review::new()
    }
}
