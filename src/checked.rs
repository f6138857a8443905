//! What the check of the rows found, as the screens show it ([`Checked`]: counts of rows and
//! problems, the mapping's problems), and where the rows stand with the upload
//! ([`Standing`]). The components read these, never the report: the report stays with the
//! rows, wherever they are kept ([`crate::rows`]).

use bulk_core::fate::FileTotals;
use bulk_core::mapping::MappingProblem;
use bulk_core::validate::{ProblemKind, Report, Severity};

/// Fixes the app offers to apply to every cell at once.
const FIXES: [ProblemKind; 2] = [ProblemKind::Whitespace, ProblemKind::Url];

/// Where the rows stand with the upload: the file's totals, and the counts the upload
/// buttons give, all taken together from the rows, the check and the upload's ledger.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Standing {
    /// Every row of the file, by what became of it.
    pub totals: FileTotals,
    /// Rows that may be uploaded (as [`Checked::valid`], taken with the rest so that the
    /// counts shown together are of one moment).
    pub valid: usize,
    /// The rows "Send failed rows again" would send: refused or not processed, valid now
    /// and not deleted.
    pub resendable: usize,
    /// Of the rows sent, those valid now and not deleted.
    pub sent_valid: usize,
    /// Of those, the rows written (or possibly written): not to be sent again.
    pub written_valid: usize,
}

/// The check's findings, counted.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Checked {
    /// Rows checked (deleted ones included).
    pub rows: usize,
    /// Rows the person deleted.
    pub deleted: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
    /// Rows with warnings but no error.
    pub warning_rows: usize,
    /// Rows with a problem of either kind.
    pub problem_rows: usize,
    /// Rows that may be uploaded.
    pub valid: usize,
    /// Problems by kind and severity, errors first, then most frequent.
    pub counts: Vec<(ProblemKind, Severity, usize)>,
    /// Problems by kind, severity and column (`None`: whole-row problems).
    pub counts_by_column: Vec<(ProblemKind, Severity, Option<String>, usize)>,
    /// Cells with a suggested fix, for each kind of fix offered at once.
    pub fixable: Vec<(ProblemKind, usize)>,
    /// Problems with the mapping itself: while any is present, no row can be sent.
    pub mapping_problems: Vec<MappingProblem>,
}

impl Checked {
    /// The findings of `report`.
    pub fn of(report: &Report) -> Checked {
        Checked {
            rows: report.rows(),
            deleted: report.deleted(),
            error_rows: report.error_rows(),
            warning_rows: report.warning_rows(),
            problem_rows: report.rows_with_problems().count(),
            valid: report.valid_count(),
            counts: report.counts(),
            counts_by_column: report.counts_by_column(),
            fixable: FIXES
                .into_iter()
                .map(|k| {
                    let n = report
                        .problems()
                        .filter(|p| p.kind == k && p.suggestion.is_some())
                        .count();
                    (k, n)
                })
                .filter(|(_, n)| *n > 0)
                .collect(),
            mapping_problems: report.mapping_problems.clone(),
        }
    }
}
