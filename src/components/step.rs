//! A step of the import: a card with a heading, on screen only while it is the current
//! step. Its content is built the first time the step is shown (the start page draws only
//! the first step, which keeps the app's start short) and then stays mounted, so a step
//! keeps its scroll position and half-typed values when the person goes back and forth.
//! And the step bar that shows where the person is and
//! opens the steps already reached.

use crate::steps::{StepId, Steps};
use leptos::prelude::*;

/// One step of the import.
#[component]
pub fn Step(
    /// Which step.
    id: StepId,
    /// The step shown.
    steps: Steps,
    /// The content.
    children: Children,
) -> impl IntoView {
    // Turns true once and stays: the content, once built, stays.
    let shown = Memo::new(move |before: Option<&bool>| before == Some(&true) || steps.showing(id));
    // A step shown from the start is built with the app (the first screen hands its form
    // over to it in that task). One shown later is built in a task of its own: it is shown
    // by what just changed (a file read, a click), whose own views update in that task, and
    // both in one task held the page's thread past 50 ms on a slow machine.
    let built = RwSignal::new(shown.get_untracked());
    Effect::new(move |_| {
        if shown.get() && !built.get_untracked() {
            leptos::task::spawn_local(async move {
                crate::browser::yield_now().await;
                built.set(true);
            });
        }
    });
    let mut children = Some(children);
    view! {
        // Busy until its content is built (a task after it is first shown).
        <section
            class="step"
            aria-labelledby=id.heading_id()
            aria-busy=move || (!built.get()).then_some("true")
            hidden=move || !steps.showing(id)
        >
            // Focusable from code (not a tab stop), so the flow can move the person on to it.
            <h2 id=id.heading_id() tabindex="-1">
                <span class="step-number" aria-hidden="true">{id.number()}</span>
                {id.title()}
            </h2>
            // Runs again only when `built` turns true, the one time it changes.
            {move || built.get().then(|| children.take().map(|c| c()))}
        </section>
    }
}

/// The step bar: every step with its number; the current one marked, the ones reached
/// clickable, the others dimmed and disabled.
#[component]
pub fn StepBar(
    /// The step shown.
    steps: Steps,
) -> impl IntoView {
    view! {
        <nav class="step-bar" aria-label="Steps">
            <ol>
                {StepId::ALL.iter().map(|&s| view! {
                    <li>
                        <button
                            type="button"
                            id=format!("go-{}", s.heading_id())
                            aria-current=move || steps.showing(s).then_some("step")
                            disabled=move || !steps.reached.get().opens(s)
                            on:click=move |_| steps.go(s)
                        >
                            <span class="step-number" aria-hidden="true">{s.number()}</span>
                            <span class="step-label">{s.label()}</span>
                        </button>
                    </li>
                }).collect_view()}
            </ol>
        </nav>
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
