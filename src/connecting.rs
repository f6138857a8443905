//! The connection form's state and its actions (fill, connect, remember, forget), kept out
//! of the form so that the portal page's messages ([`crate::embed`]) can fill it and press
//! Connect the same way a person does. A filled-in value never overwrites what the person
//! typed.

use crate::connection::{self, Connected, Prefill};
use crate::handover::Handover;
use crate::notice::Notice;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form's fields.
#[derive(Clone, Copy)]
pub struct Fields {
    /// Base URL.
    pub base: RwSignal<String>,
    /// Hub.
    pub hub: RwSignal<String>,
    /// User secret.
    pub user: RwSignal<String>,
    /// Organization secret.
    pub organization: RwSignal<String>,
    /// Element token.
    pub element: RwSignal<String>,
    /// The person opted in to keeping the connection on this device.
    pub remember: RwSignal<bool>,
    /// Something is remembered on this device now.
    pub remembered: RwSignal<bool>,
    /// The person asked to remember, and the browser refused to store it.
    pub remember_refused: RwSignal<bool>,
    /// The values came from the sandbox.
    pub sandbox: RwSignal<bool>,
    /// Connecting.
    pub busy: RwSignal<bool>,
    /// Why the last attempt failed.
    pub notice: RwSignal<Option<Notice>>,
    /// The values of the connection in use (memory only, like the form), so that "Keep the
    /// current connection" can put them back after the person edited the form.
    used: StoredValue<Option<Prefill>>,
    /// The values being tried while `busy`.
    trying: StoredValue<Option<Prefill>>,
    /// A connect asked for with other values while one was under way (a portal's settings
    /// arriving during the person's attempt), with those values: it runs when that one ends,
    /// never dropped, unless those are the values that attempt just tried.
    queued: StoredValue<Option<(Prefill, Callback<Connected>)>>,
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

impl Fields {
    /// Empty fields.
    pub fn new() -> Fields {
        Fields {
            base: RwSignal::new(String::new()),
            hub: RwSignal::new(String::new()),
            user: RwSignal::new(String::new()),
            organization: RwSignal::new(String::new()),
            element: RwSignal::new(String::new()),
            remember: RwSignal::new(false),
            remembered: RwSignal::new(false),
            remember_refused: RwSignal::new(false),
            sandbox: RwSignal::new(false),
            busy: RwSignal::new(false),
            notice: RwSignal::new(None),
            used: StoredValue::new(None),
            trying: StoredValue::new(None),
            queued: StoredValue::new(None),
        }
    }

    /// Fills the empty fields from `p`.
    pub fn fill(self, p: Prefill) {
        let fill = |s: RwSignal<String>, v: String| {
            if s.get_untracked().is_empty() && !v.is_empty() {
                s.set(v)
            }
        };
        fill(self.base, p.base);
        fill(self.hub, p.hub);
        fill(self.user, p.user);
        fill(self.organization, p.organization);
        fill(self.element, p.element);
        self.sandbox.set(p.sandbox);
        if p.remembered {
            self.remember.set(true);
            self.remembered.set(true);
        }
    }

    /// Takes the form as the person left it on the first screen, values and boxes alike.
    pub fn take_over(self, h: &Handover) {
        let f = &h.form;
        self.put(f);
        self.sandbox.set(f.sandbox);
        if f.sandbox {
            crate::browser::mark_served_by_sandbox();
        }
        self.remembered.set(f.remembered);
        self.remember.set(h.remember);
        self.busy.set(h.connect);
    }

    /// Puts `v`'s address and secrets into the form.
    fn put(self, v: &Prefill) {
        for (s, v) in [
            (self.base, &v.base),
            (self.hub, &v.hub),
            (self.user, &v.user),
            (self.organization, &v.organization),
            (self.element, &v.element),
        ] {
            s.set(v.clone());
        }
    }

    /// The form as it stands, for the app to take over (see [`Fields::take_over`]).
    pub fn values(self) -> (Prefill, bool) {
        let form = Prefill {
            base: self.base.get_untracked(),
            hub: self.hub.get_untracked(),
            user: self.user.get_untracked(),
            organization: self.organization.get_untracked(),
            element: self.element.get_untracked(),
            sandbox: self.sandbox.get_untracked(),
            remembered: self.remembered.get_untracked(),
        };
        (form, self.remember.get_untracked())
    }

    /// Secrets from the host page: they replace what is there, and they are not the
    /// sandbox's demo ones.
    pub fn take_secrets(self, user: &str, organization: &str, element: &str) {
        self.user.set(user.to_string());
        self.organization.set(organization.to_string());
        self.element.set(element.to_string());
        self.sandbox.set(false);
    }

    /// Sets a field from the host page (it may replace what is there).
    pub fn set(field: RwSignal<String>, value: Option<&str>) {
        if let Some(v) = value {
            field.set(v.to_string());
        }
    }

    /// Checks the fields, lists the objects, and hands the connection on; keeps it on this
    /// device when the person opted in.
    pub fn connect(self, on_connected: Callback<Connected>) {
        let values = Prefill {
            sandbox: false,
            remembered: false,
            ..self.values().0
        };
        if self.busy.get_untracked() {
            // The same values again (a second Enter) add nothing; other values are tried
            // once this attempt ends.
            if self.trying.with_value(|t| t.as_ref() != Some(&values)) {
                self.queued.set_value(Some((values, on_connected)));
            }
            return;
        }
        self.busy.set(true);
        self.notice.set(None);
        self.trying.set_value(Some(values.clone()));
        let creds = connection::credentials(
            values.user.clone(),
            values.organization.clone(),
            values.element.clone(),
        );
        spawn_local(async move {
            match connection::connect(&values.base, &values.hub, creds).await {
                Ok(c) => {
                    self.used.set_value(Some(values.clone()));
                    if self.remember.get_untracked() {
                        let kept = connection::remember(&values);
                        self.remembered.set(kept);
                        self.remember_refused.set(!kept);
                    }
                    on_connected.run(c);
                }
                Err(n) => {
                    self.notice.set(Some(n));
                    // The button was disabled while connecting: the focus goes back to it
                    // (the message beside it is announced), never to the page body.
                    crate::browser::focus_when_drawn("connect-button");
                }
            }
            self.trying.set_value(None);
            self.busy.set(false);
            let next = self.queued.try_update_value(Option::take).flatten();
            if let Some((asked, next)) = next.filter(|(asked, _)| *asked != values) {
                // The values asked for go back into the form (the person may have put others
                // there meanwhile), then are tried.
                self.put(&asked);
                self.connect(next);
            }
        });
    }

    /// Puts the values of the connection in use back into the form, and drops a failed
    /// attempt's message.
    pub fn keep(self) {
        if let Some(v) = self.used.get_value() {
            self.put(&v);
        }
        self.notice.set(None);
    }

    /// Forgets what this device remembers and clears the secrets from the form.
    pub fn forget(self) {
        connection::forget();
        self.remember.set(false);
        self.remembered.set(false);
        self.remember_refused.set(false);
        for s in [self.user, self.organization, self.element] {
            s.set(String::new());
        }
    }
}
