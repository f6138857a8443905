//! The Columns and Review steps' state: which column goes to which field, the person's
//! edits, the validation kept current, and where every row of the file stands (counted
//! once, in a memo, for the totals line and the footer).

use crate::checked::Checked;
use crate::loading::Tickets;
use bulk_core::edits::Edits;
use bulk_core::fate::FileTotals;
use bulk_core::mapping::Mapping;
use bulk_core::outcome::Ledger;
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
    /// What the check found, counted: what the screens show of the report.
    pub checked: Memo<Option<Checked>>,
    /// Upload only when no row has an error (instead of skipping those rows).
    pub block_on_errors: RwSignal<bool>,
    /// Where every row of the file stands (a look at the deleted rows, the rows with
    /// problems and the rows sent), redone only when the report, the edits or the upload's
    /// ledger change.
    pub totals: Memo<Option<FileTotals>>,
    /// The current check: an older one that finds its ticket outdated stops.
    pub(crate) checks: Tickets,
}

impl Review {
    /// Nothing mapped or checked yet; `ledger` is the upload's record of what became of the
    /// rows sent, which the totals count.
    pub fn new(ledger: RwSignal<Ledger>) -> Review {
        let (report, edits) = (
            RwSignal::new(None::<Report>),
            RwSignal::new(Edits::default()),
        );
        let totals = Memo::new(move |_| {
            report.with(|r| {
                let r = r.as_ref()?;
                Some(edits.with(|e| {
                    ledger.with(|l| {
                        FileTotals::of(
                            r.rows(),
                            l,
                            |row| e.is_deleted(row),
                            |row| r.row_severity(row),
                            e.deleted_rows(),
                            r.rows_with_problems(),
                        )
                    })
                }))
            })
        });
        let checked = Memo::new(move |_| report.with(|r| r.as_ref().map(Checked::of)));
        Review {
            checked,
            mapping: RwSignal::new(Mapping::default()),
            mapping_remembered: RwSignal::new(false),
            edits,
            report,
            block_on_errors: RwSignal::new(false),
            totals,
            checks: Tickets::new(),
        }
    }
}
