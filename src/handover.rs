//! What the first screen hands the app when the app's module has loaded: the connection
//! form as the person left it (values, the remember box, whether it was filled in already),
//! what they asked for meanwhile (Connect, the Tools view) and where the keyboard focus and
//! caret were, so the swap from one module to the other loses nothing typed. It travels as
//! a plain JS object from one wasm module to the other, in memory only: the secrets in it
//! are never written anywhere. Both sides use this one definition.

use crate::connection::Prefill;
use crate::host::ConfigAnswer;
use wasm_bindgen::JsValue;

/// The first screen's state at the moment of the swap. (No `Debug`: it holds the secrets.)
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Handover {
    /// The form's values; `sandbox` and `remembered` as the first screen found them.
    pub form: Prefill,
    /// The "Remember on this device" box is ticked.
    pub remember: bool,
    /// The first screen had already filled the form from the host's settings: the app must
    /// not fill it again (a field the person emptied stays empty).
    pub filled: bool,
    /// The person pressed Connect (or Continue) before the app had loaded.
    pub connect: bool,
    /// The person asked for the Tools view before the app had loaded.
    pub tools: bool,
    /// The element that had the focus.
    pub focus: Option<Focus>,
    /// What the server said about `config.json`, if it had answered.
    pub config: Option<ConfigAnswer>,
}

/// Where the keyboard focus was (a password field's text included: no `Debug`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Focus {
    /// The element's id.
    pub id: String,
    /// A text field's value then (its caret needs the text in place to go back to).
    pub value: Option<String>,
    /// The selection in it (both the caret's position when nothing is selected).
    pub start: u32,
    /// Where the selection ends.
    pub end: u32,
}

const TEXT: [&str; 5] = ["base", "hub", "user", "organization", "element"];
const FLAGS: [&str; 6] = [
    "sandbox",
    "remembered",
    "remember",
    "filled",
    "connect",
    "tools",
];

impl Handover {
    /// As a plain JS object.
    pub fn to_js(&self) -> JsValue {
        let o = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&o, &k.into(), &v);
        };
        let f = &self.form;
        for (k, v) in TEXT
            .iter()
            .zip([&f.base, &f.hub, &f.user, &f.organization, &f.element])
        {
            set(k, v.into());
        }
        let flags = [
            f.sandbox,
            f.remembered,
            self.remember,
            self.filled,
            self.connect,
            self.tools,
        ];
        for (k, v) in FLAGS.iter().zip(flags) {
            set(k, v.into());
        }
        if let Some(focus) = &self.focus {
            set("focus", focus.id.as_str().into());
            if let Some(v) = &focus.value {
                set("focusValue", v.into());
            }
            set("selectionStart", focus.start.into());
            set("selectionEnd", focus.end.into());
        }
        match &self.config {
            None => {}
            Some(ConfigAnswer::Missing) => set("config", "missing".into()),
            Some(ConfigAnswer::Refused(status)) => set("config", (*status).into()),
            Some(ConfigAnswer::Text(text)) => {
                set("config", "text".into());
                set("configText", text.into());
            }
        }
        o.into()
    }

    /// Read back from a JS object; anything missing or of another type is empty or false
    /// (a host page calling the app's entry point by hand gets an empty form, not a trap).
    pub fn from_js(value: &JsValue) -> Handover {
        let get = |k: &str| js_sys::Reflect::get(value, &k.into()).unwrap_or(JsValue::UNDEFINED);
        let text = |k: &str| get(k).as_string().unwrap_or_default();
        let flag = |k: &str| get(k).as_bool().unwrap_or(false);
        let number = |k: &str| {
            get(k)
                .as_f64()
                .map(|n| n.clamp(0.0, u32::MAX as f64) as u32)
        };
        Handover {
            form: Prefill {
                base: text("base"),
                hub: text("hub"),
                user: text("user"),
                organization: text("organization"),
                element: text("element"),
                sandbox: flag("sandbox"),
                remembered: flag("remembered"),
            },
            remember: flag("remember"),
            filled: flag("filled"),
            connect: flag("connect"),
            tools: flag("tools"),
            focus: get("focus").as_string().map(|id| Focus {
                id,
                value: get("focusValue").as_string(),
                start: number("selectionStart").unwrap_or(0),
                end: number("selectionEnd").unwrap_or(0),
            }),
            config: {
                let config = get("config");
                match config.as_string().as_deref() {
                    Some("missing") => Some(ConfigAnswer::Missing),
                    Some("text") => Some(ConfigAnswer::Text(text("configText"))),
                    _ => config
                        .as_f64()
                        .filter(|n| (100.0..=999.0).contains(n))
                        .map(|n| ConfigAnswer::Refused(n as u16)),
                }
            },
        }
    }
}
