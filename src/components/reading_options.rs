//! How the file was read, and the person's say over it: encoding (with a preview of the
//! decoded text), delimiter, quote character and header row for text files; the sheet and
//! header row for workbooks. Any change re-reads the file at once.

use crate::model::LoadedFile;
use crate::shared::Shared;
use bulk_core::decode::CHOICES;
use bulk_core::dialect::{DELIMITERS, delimiter_name};
use bulk_core::ingest::Overrides;
use leptos::prelude::*;

/// The reading options.
#[component]
pub fn ReadingOptions(
    /// The loaded file.
    #[prop(into)]
    file: Signal<Option<Shared<LoadedFile>>>,
    /// The workbook's sheets (empty for text files).
    #[prop(into)]
    sheets: Signal<Vec<String>>,
    /// Called with new overrides.
    on_change: Callback<Overrides>,
    /// Called with another sheet.
    on_sheet: Callback<String>,
    /// The overrides in force.
    #[prop(into)]
    overrides: Signal<Overrides>,
) -> impl IntoView {
    let change = move |f: &dyn Fn(&mut Overrides)| {
        let mut o = overrides.get_untracked();
        f(&mut o);
        on_change.run(o);
    };
    move || {
        let f = file.get()?;
        let i = &f.ingested;
        let d = i.dialect;
        let workbook = i.sheet.is_some();
        let header_value = d
            .header_record
            .map(|h| h.to_string())
            .unwrap_or_else(|| "none".into());
        let head = i.head.clone();
        let preview: String = i.preview.lines().take(4).collect::<Vec<_>>().join("\n");
        let current_encoding = i.encoding.name();
        let sheet = i.sheet.clone().unwrap_or_default();
        Some(view! {
            <details class="reading-options" open=!i.decode_problems.is_empty()>
                <summary>"Reading options (change them if the rows look wrong)"</summary>
                <div class="field-row">
                    {workbook.then(|| view! {
                        <div class="field">
                            <label class="field-label" for="opt-sheet">"Sheet"</label>
                            <select id="opt-sheet" prop:value=sheet.clone() on:change=move |ev| on_sheet.run(event_target_value(&ev))>
                                {sheets.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    {(!workbook).then(|| view! {
                        <div class="field">
                            <label class="field-label" for="opt-encoding">"Encoding"</label>
                            <select id="opt-encoding" prop:value=current_encoding on:change=move |ev| {
                                let label = event_target_value(&ev);
                                change(&|o| o.encoding = bulk_core::decode::encoding_for_label(&label));
                            }>
                                {CHOICES.iter().map(|c| {
                                    let name = bulk_core::decode::encoding_for_label(c).map(|e| e.name()).unwrap_or(c);
                                    view! { <option value=name>{name}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label class="field-label" for="opt-delimiter">"Delimiter"</label>
                            <select id="opt-delimiter" prop:value=(d.delimiter as char).to_string() on:change=move |ev| {
                                let v = event_target_value(&ev);
                                change(&|o| o.delimiter = v.bytes().next());
                            }>
                                {DELIMITERS.iter().map(|b| view! { <option value=(*b as char).to_string()>{delimiter_name(*b)}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label class="field-label" for="opt-quote">"Quote character"</label>
                            <select id="opt-quote" prop:value=(d.quote as char).to_string() on:change=move |ev| {
                                let v = event_target_value(&ev);
                                change(&|o| o.quote = v.bytes().next());
                            }>
                                <option value="\"">"double quote (\")"</option>
                                <option value="'">"single quote (')"</option>
                            </select>
                        </div>
                    })}
                    <div class="field">
                        <label class="field-label" for="opt-header">"Header row"</label>
                        <select id="opt-header" prop:value=header_value on:change=move |ev| {
                            let v = event_target_value(&ev);
                            change(&|o| o.header_record = Some(v.parse::<usize>().ok()));
                        }>
                            {head.iter().map(|h| view! {
                                <option value=h.record.to_string()>{format!("line {}: {}", h.line, h.cells.join(" | "))}</option>
                            }).collect_view()}
                            <option value="none">"no header row (columns A, B, C…)"</option>
                        </select>
                    </div>
                </div>
                {(!workbook).then(|| view! {
                    <p class="field-label">{format!("Preview as {current_encoding}")}</p>
                    <pre class="preview" data-testid="preview">{preview}</pre>
                })}
            </details>
        })
    }
}
