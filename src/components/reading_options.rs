//! How the file was read, and the person's say over it: encoding (with a preview of the
//! decoded text), delimiter, quote character and header row for text files; the sheet and
//! header row for workbooks. Any change re-reads the file at once. Each guess says how sure
//! it is; when one is uncertain the panel opens and says which safer reading was taken.

use crate::model::LoadedFile;
use crate::shared::Shared;
use bulk_core::decode::CHOICES;
use bulk_core::dialect::{DELIMITERS, delimiter_name};
use bulk_core::guess::Certainty;
use bulk_core::ingest::Overrides;
use leptos::prelude::*;

/// How sure a guess is, in a word and (when uncertain) the sentence of its doubt.
fn sureness(c: Certainty, testid: &'static str) -> impl IntoView {
    let (class, word, why) = match c {
        Certainty::Certain => ("sure sure-certain", "certain", None),
        Certainty::Likely => ("sure sure-likely", "likely, check the preview", None),
        Certainty::Uncertain(d) => (
            "sure sure-uncertain",
            "uncertain: the safer reading was taken",
            Some(crate::notice::capitalise(&d.to_string())),
        ),
    };
    view! {
        <span class=class data-testid=testid>{word}</span>
        {why.map(|w| view! { <span class="sure-why">{format!("{w}.")}</span> })}
    }
}

/// The encodings offered: the common ones, and the one the file is read in when it is not
/// among them (a guess may name any), first, so the select always shows it.
fn encodings(current: &'static str) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = CHOICES
        .iter()
        .map(|c| bulk_core::decode::encoding_for_label(c).map_or(*c, |e| e.name()))
        .collect();
    if !names.contains(&current) {
        names.insert(0, current);
    }
    names
}

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
        let i = &f.read;
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
        let g = i.guesses;
        let doubts = g.doubts().count();
        let summary = if workbook {
            "Reading options (change them if the rows look wrong)".to_string()
        } else {
            format!(
                "Reading options: {} · {} · {} quote · {}{}",
                current_encoding,
                delimiter_name(d.delimiter),
                if d.quote == b'\'' { "single" } else { "double" },
                d.header_record
                    .and_then(|h| head.iter().find(|r| r.record == h))
                    .map(|r| format!("header on line {}", r.line))
                    .unwrap_or_else(|| "no header row".into()),
                match doubts {
                    0 => String::new(),
                    1 => " — 1 guess is uncertain".into(),
                    n => format!(" — {n} guesses are uncertain"),
                }
            )
        };
        let open = !i.decode_problems.is_empty() || doubts != 0;
        Some(view! {
            <details class="reading-options" open=open>
                <summary data-testid="reading-summary">{summary}</summary>
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
                            <select id="opt-encoding" prop:value=move || overrides.with(|o| o.encoding.map_or(current_encoding, |e| e.name())) on:change=move |ev| {
                                let label = event_target_value(&ev);
                                change(&|o| o.encoding = bulk_core::decode::encoding_for_label(&label));
                            }>
                                {encodings(current_encoding).into_iter().map(|name| view! { <option value=name>{name}</option> }).collect_view()}
                            </select>
                            {sureness(g.encoding, "sure-encoding")}
                        </div>
                        <div class="field">
                            <label class="field-label" for="opt-delimiter">"Delimiter"</label>
                            <select id="opt-delimiter" prop:value=move || (overrides.with(|o| o.delimiter).unwrap_or(d.delimiter) as char).to_string() on:change=move |ev| {
                                let v = event_target_value(&ev);
                                change(&|o| o.delimiter = v.bytes().next());
                            }>
                                {DELIMITERS.iter().map(|b| view! { <option value=(*b as char).to_string()>{delimiter_name(*b)}</option> }).collect_view()}
                            </select>
                            {sureness(g.delimiter, "sure-delimiter")}
                        </div>
                        <div class="field">
                            <label class="field-label" for="opt-quote">"Quote character"</label>
                            <select id="opt-quote" prop:value=move || (overrides.with(|o| o.quote).unwrap_or(d.quote) as char).to_string() on:change=move |ev| {
                                let v = event_target_value(&ev);
                                change(&|o| o.quote = v.bytes().next());
                            }>
                                <option value="\"">"double quote (\")"</option>
                                <option value="'">"single quote (')"</option>
                            </select>
                            {sureness(g.quote, "sure-quote")}
                        </div>
                    })}
                    <div class="field">
                        <label class="field-label" for="opt-header">"Header row"</label>
                        <select id="opt-header" prop:value=move || overrides.with(|o| match o.header_record {
                            Some(Some(h)) => h.to_string(),
                            Some(None) => "none".to_string(),
                            None => header_value.clone(),
                        }) on:change=move |ev| {
                            let v = event_target_value(&ev);
                            change(&|o| o.header_record = Some(v.parse::<usize>().ok()));
                        }>
                            {head.iter().map(|h| view! {
                                <option value=h.record.to_string()>{format!("line {}: {}", h.line, h.cells.join(" | "))}</option>
                            }).collect_view()}
                            <option value="none">"no header row (columns A, B, C…)"</option>
                        </select>
                        {sureness(g.header, "sure-header")}
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
