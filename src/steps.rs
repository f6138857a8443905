//! Where the person is in the import. The page shows one step at a time (Connection → File
//! → Columns → Review → Upload); a step can be opened once the steps before it produced
//! what it needs, and the step bar and the footer move the person on or back. Which steps
//! can be opened is decided here from plain facts, so it is tested natively.

use leptos::prelude::*;

/// A step of the import, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepId {
    /// The connector's address and secrets.
    Connect,
    /// The object and the file.
    File,
    /// Which column goes to which field.
    Columns,
    /// The rows, checked and fixed.
    Review,
    /// The jobs.
    Upload,
}

impl StepId {
    /// Every step, in order.
    pub const ALL: [StepId; 5] = [
        StepId::Connect,
        StepId::File,
        StepId::Columns,
        StepId::Review,
        StepId::Upload,
    ];

    /// Its name in the step bar (not "Connect": that is the form's button).
    pub fn label(self) -> &'static str {
        match self {
            StepId::Connect => "Connection",
            StepId::File => "File",
            StepId::Columns => "Columns",
            StepId::Review => "Review",
            StepId::Upload => "Upload",
        }
    }

    /// Its heading.
    pub fn title(self) -> &'static str {
        match self {
            StepId::Connect => "Connect to the connector instance",
            StepId::File => "Choose the object and the file",
            StepId::Columns => "Match the columns to the fields",
            StepId::Review => "Review and fix the rows",
            StepId::Upload => "Upload and follow the jobs",
        }
    }

    /// Its number, from 1.
    pub fn number(self) -> usize {
        StepId::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// The id of its heading, which takes the focus when the step opens.
    pub fn heading_id(self) -> &'static str {
        match self {
            StepId::Connect => "step-connect",
            StepId::File => "step-file",
            StepId::Columns => "step-columns",
            StepId::Review => "step-review",
            StepId::Upload => "step-upload",
        }
    }

    /// The step after it.
    pub fn next(self) -> Option<StepId> {
        StepId::ALL.get(self.number()).copied()
    }
}

/// What the import has so far: all a step needs to be opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reached {
    /// A connection was made.
    pub connected: bool,
    /// A file was read and the object's fields are known.
    pub rows_and_fields: bool,
    /// Jobs are being followed (this file's, an earlier file's, or resumed after a reload).
    pub jobs: bool,
}

impl Reached {
    /// Whether `step` can be opened.
    pub fn opens(self, step: StepId) -> bool {
        match step {
            StepId::Connect => true,
            StepId::File => self.connected,
            StepId::Columns | StepId::Review => self.connected && self.rows_and_fields,
            // Jobs followed again after a reload can be seen before any file is chosen.
            StepId::Upload => self.connected && (self.rows_and_fields || self.jobs),
        }
    }

    /// The furthest step that can be opened, where a step that closed sends the person.
    pub fn furthest(self) -> StepId {
        StepId::ALL
            .iter()
            .rev()
            .copied()
            .find(|s| self.opens(*s))
            .unwrap_or(StepId::Connect)
    }
}

/// The step shown, shared by the step bar, the footer and the flow's actions.
#[derive(Clone, Copy)]
pub struct Steps {
    /// The step on screen.
    pub current: RwSignal<StepId>,
    /// What the import has so far.
    pub reached: Signal<Reached>,
    /// The step shown before the current one (where "Keep the current connection" returns).
    left: StoredValue<StepId>,
}

impl Steps {
    /// Steps starting at the connection.
    pub fn new(reached: Signal<Reached>) -> Steps {
        let steps = Steps {
            current: RwSignal::new(StepId::Connect),
            reached,
            left: StoredValue::new(StepId::Connect),
        };
        // A step whose inputs went away (another connection, a file that failed to read)
        // closes: the person is taken to the furthest step still open.
        Effect::new(move |_| {
            let r = reached.get();
            if !r.opens(steps.current.get_untracked()) {
                steps.current.set(r.furthest());
            }
        });
        steps
    }

    /// Opens `step` (if it can be) and moves the focus to its heading.
    pub fn go(self, step: StepId) {
        if self.reached.get_untracked().opens(step) {
            let now = self.current.get_untracked();
            if now != step {
                self.left.set_value(now);
            }
            self.current.set(step);
            crate::browser::focus_when_drawn(step.heading_id());
        }
    }

    /// Goes back to the step shown before this one (the File step if that was this one).
    pub fn back(self) {
        let to = self.left.get_value();
        self.go(
            if to == self.current.get_untracked() || to == StepId::Connect {
                StepId::File
            } else {
                to
            },
        );
    }

    /// Whether `step` is on screen.
    pub fn showing(self, step: StepId) -> bool {
        self.current.get() == step
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_open_in_order() {
        let nothing = Reached::default();
        assert!(nothing.opens(StepId::Connect));
        assert!(!nothing.opens(StepId::File));
        assert_eq!(nothing.furthest(), StepId::Connect);
        let connected = Reached {
            connected: true,
            ..nothing
        };
        assert!(connected.opens(StepId::File));
        assert!(!connected.opens(StepId::Columns));
        assert!(!connected.opens(StepId::Upload));
        let read = Reached {
            rows_and_fields: true,
            ..connected
        };
        assert!(read.opens(StepId::Review));
        assert_eq!(read.furthest(), StepId::Upload);
    }

    #[test]
    fn resumed_jobs_open_the_upload_step_without_a_file() {
        let r = Reached {
            connected: true,
            rows_and_fields: false,
            jobs: true,
        };
        assert!(r.opens(StepId::Upload));
        assert!(!r.opens(StepId::Review));
        // Not before connecting: the jobs are followed with the connection's secrets.
        assert!(
            !Reached {
                connected: false,
                ..r
            }
            .opens(StepId::Upload)
        );
    }

    #[test]
    fn numbers_and_next_follow_the_order() {
        assert_eq!(StepId::Connect.number(), 1);
        assert_eq!(StepId::Upload.number(), 5);
        assert_eq!(StepId::Columns.next(), Some(StepId::Review));
        assert_eq!(StepId::Upload.next(), None);
    }
}
