//! A numbered step of the flow: a card with a heading that is dimmed until the step can
//! be used, so a new user sees the whole path and where they are on it.

use leptos::prelude::*;

/// One step of the flow.
#[component]
pub fn Step(
    /// The step's number.
    n: u8,
    /// Its heading.
    title: &'static str,
    /// Whether the earlier steps are done.
    #[prop(into)]
    ready: Signal<bool>,
    /// What to show when it is not ready yet.
    waiting: &'static str,
    /// The content.
    children: ChildrenFn,
) -> impl IntoView {
    let id = format!("step-{n}");
    let labelled_by = id.clone();
    view! {
        <section class="step" class:step-waiting=move || !ready.get() aria-labelledby=labelled_by>
            // Focusable from code (not a tab stop), so the flow can move the person on to it.
            <h2 id=id tabindex="-1">
                <span class="step-number" aria-hidden="true">{n}</span>
                {title}
            </h2>
            <Show when=move || ready.get() fallback=move || view! { <p class="muted">{waiting}</p> }>
                {children()}
            </Show>
        </section>
    }
}

/// A tool of the Tools view: a card with a heading, outside the numbered flow.
#[component]
pub fn Tool(
    /// The heading's id.
    id: &'static str,
    /// The heading.
    title: &'static str,
    /// The content.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="step tool" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {children()}
        </section>
    }
}
