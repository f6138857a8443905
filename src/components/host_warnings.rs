//! What was wrong with `config.json` or the link's settings, shown once at the top so the
//! person (or the operator) sees why a setting did not apply.

use crate::host::Host;
use leptos::prelude::*;

/// The host's warnings, if any.
#[component]
pub fn HostWarnings(
    /// The host.
    host: Host,
) -> impl IntoView {
    move || {
        let warnings = host.warnings.get();
        (!warnings.is_empty()).then(|| {
            view! {
                <div class="notice notice-warning host-warnings" role="note" data-testid="host-warnings">
                    <strong>"Some settings of this page were not used"</strong>
                    <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                </div>
            }
        })
    }
}
