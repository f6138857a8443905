//! Which record of a job each failure belongs to. Only the message (`status`) of an error
//! item is documented, so a failure is tied to a record by the strongest evidence it
//! carries, in this order:
//!
//! 1. a position (1-based, under any of [`crate::job::POSITION_KEYS`]), unless the item also
//!    echoes the identifier and the record at that position holds another value;
//! 2. an echo of the record, nested or flat beside `status`: by the identifier field, else
//!    by all the sent values the echo holds (duplicates in the file are taken in file order);
//! 3. a message that names exactly one sent identifier value (as Eloqua's
//!    "Conflicts Found - emailAddress a@x.io" does);
//! 4. file order, when the failures left over are exactly as many as the processed records
//!    left over (then every one of those records failed, and the list is in file order).
//!
//! What none of these ties stays *unidentified*: counted and shown, never a created row.
//! Lookups are built once per job (and once per set of echoed fields), so a job of 10,000
//! records with 10,000 failures is matched in linear time.

use crate::job::RecordError;
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};

/// The records of one job's upload file, as sent: header (field names) and values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SentJob {
    header: Vec<String>,
    records: Vec<Vec<String>>,
}

/// How a failure was tied to its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tie {
    /// The item named the record's position.
    Position,
    /// The item echoed the record's identifier value.
    Identifier,
    /// The item echoed the record's values.
    Values,
    /// The message named the record's identifier value.
    Message,
    /// By file order: every record left over had failed.
    Order,
}

/// A failure tied to its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 0-based position of the record in the job's file.
    pub position: usize,
    /// The connector's message (several, joined, when it reported the record twice).
    pub message: String,
    /// How it was tied.
    pub tie: Tie,
}

/// The failures of a job, tied to records where the evidence allows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matched {
    /// One entry per refused record, in file order.
    pub refused: Vec<Refusal>,
    /// Messages of failures that could not be tied to a record, in the connector's order.
    pub unidentified: Vec<String>,
}

impl SentJob {
    /// A job's records from its header and rows (each as long as the header).
    pub fn new(header: Vec<String>, records: Vec<Vec<String>>) -> SentJob {
        SentJob { header, records }
    }

    /// Reads back an upload file this crate wrote (comma, `"` quotes, header first).
    ///
    /// ```
    /// let j = bulk_core::failures::SentJob::from_upload(b"email,name\na@x.io,\"Li, Bo\"\n").unwrap();
    /// assert_eq!(j.len(), 1);
    /// ```
    pub fn from_upload(csv: &[u8]) -> Result<SentJob, csv::Error> {
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(csv);
        let header = r.headers()?.iter().map(str::to_string).collect();
        let mut records = Vec::new();
        for rec in r.records() {
            records.push(rec?.iter().map(str::to_string).collect());
        }
        Ok(SentJob { header, records })
    }

    /// Records in the job.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when the job has no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name).or_else(|| {
            self.header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
        })
    }

    fn value(&self, position: usize, column: usize) -> Option<&str> {
        self.records.get(position)?.get(column).map(String::as_str)
    }
}

/// A value as compared: trimmed, lower case, numbers in one spelling (`12500.50` and the
/// JSON number `12500.5` are the same value), so an echo matches what was sent even when
/// the tenant re-typed it.
fn norm(v: &str) -> String {
    let t = v.trim();
    let looks_numeric = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if looks_numeric && let Ok(f) = t.parse::<f64>() {
        // Leading zeros are data (codes like 00742): keep those as text.
        let leading_zero = t.trim_start_matches(['-', '+']).starts_with('0')
            && t.trim_start_matches(['-', '+']).len() > 1
            && !t.trim_start_matches(['-', '+']).starts_with("0.");
        if f.is_finite() && !leading_zero {
            return format!("{f}");
        }
    }
    t.to_lowercase()
}

/// A JSON value as text (the same text the CSV carried).
fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// The echoed values by column of the job's file; nested objects are flattened to the
/// dotted names the upload used (`address.city`).
fn echo(job: &SentJob, e: &RecordError) -> Vec<(usize, String)> {
    fn walk(job: &SentJob, prefix: &str, map: &Map<String, Value>, out: &mut Vec<(usize, String)>) {
        for (k, v) in map {
            let name = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                Value::Object(inner) => walk(job, &name, inner, out),
                other => {
                    if let (Some(c), Some(t)) = (job.column(&name), json_text(other))
                        && !out.iter().any(|(oc, _)| *oc == c)
                    {
                        out.push((c, norm(&t)));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    match &e.record {
        Some(record) => walk(job, "", record, &mut out),
        None => walk(job, "", &e.rest, &mut out),
    }
    out.sort_unstable_by_key(|(c, _)| *c);
    out
}

/// Positions by value of one set of columns, consumed in file order.
type Lookup = HashMap<String, VecDeque<usize>>;

fn key_of(values: impl Iterator<Item = String>) -> String {
    // U+001F (unit separator) cannot be confused with text a person typed into a cell.
    values.collect::<Vec<_>>().join("\u{1f}")
}

fn build(job: &SentJob, columns: &[usize]) -> Lookup {
    let mut map: Lookup = HashMap::with_capacity(job.len());
    for p in 0..job.len() {
        let key = key_of(columns.iter().map(|c| norm(job.value(p, *c).unwrap_or(""))));
        map.entry(key).or_default().push_back(p);
    }
    map
}

struct Matcher<'a> {
    job: &'a SentJob,
    identifier: Option<usize>,
    lookups: HashMap<Vec<usize>, Lookup>,
    /// Records per identifier value, built on first need.
    id_counts: Option<HashMap<String, usize>>,
    /// Index into `refused` of the failure tied to each record.
    taken: Vec<Option<usize>>,
    refused: Vec<Refusal>,
}

impl Matcher<'_> {
    fn assign(&mut self, position: usize, message: &str, tie: Tie) {
        match self.taken[position] {
            // The connector reported the record twice: one refused record, both messages.
            Some(i) => {
                let m = &mut self.refused[i].message;
                if m != message {
                    m.push_str("; ");
                    m.push_str(message);
                }
            }
            None => {
                self.taken[position] = Some(self.refused.len());
                self.refused.push(Refusal {
                    position,
                    message: message.to_string(),
                    tie,
                });
            }
        }
    }

    /// The first record with `key` in `columns` not tied yet; else one already tied (a
    /// repeated report); else none.
    fn find(&mut self, columns: Vec<usize>, key: &str) -> Option<usize> {
        let job = self.job;
        let lookup = self
            .lookups
            .entry(columns.clone())
            .or_insert_with(|| build(job, &columns));
        let queue = lookup.get_mut(key)?;
        while let Some(&p) = queue.front() {
            if self.taken[p].is_none() {
                return Some(p);
            }
            // Tied by other evidence already; later failures with this key want the next.
            if queue.len() == 1 {
                return Some(p);
            }
            queue.pop_front();
        }
        None
    }

    fn by_position(&self, e: &RecordError, echoed: &[(usize, String)]) -> Option<usize> {
        let key = e.position_key.as_deref()?;
        if self.job.column(key).is_some() {
            return None; // a field of the object that happens to be called "row": data
        }
        let p = (e.record_number? as usize).checked_sub(1)?;
        if p >= self.job.len() {
            return None;
        }
        // A position that contradicts the echoed identifier is counted some other way
        // (0-based positions, positions in another file).
        if let Some(id) = self.identifier
            && let Some((_, v)) = echoed.iter().find(|(c, _)| *c == id)
            && norm(self.job.value(p, id).unwrap_or("")) != *v
        {
            return None;
        }
        Some(p)
    }

    /// How many records of the job hold `value` in the identifier column.
    fn identifier_count(&mut self, id: usize, value: &str) -> usize {
        let job = self.job;
        self.id_counts
            .get_or_insert_with(|| {
                let mut counts: HashMap<String, usize> = HashMap::with_capacity(job.len());
                for p in 0..job.len() {
                    *counts
                        .entry(norm(job.value(p, id).unwrap_or("")))
                        .or_default() += 1;
                }
                counts
            })
            .get(value)
            .copied()
            .unwrap_or(0)
    }

    fn by_values(&mut self, echoed: &[(usize, String)]) -> Option<(usize, Tie)> {
        if echoed.is_empty() {
            return None;
        }
        let columns = echoed.iter().map(|(c, _)| *c).collect();
        let key = key_of(echoed.iter().map(|(_, v)| v.clone()));
        self.find(columns, &key).map(|p| (p, Tie::Values))
    }

    fn by_echo(&mut self, echoed: &[(usize, String)]) -> Option<(usize, Tie)> {
        let Some(id) = self.identifier else {
            return self.by_values(echoed);
        };
        let Some((_, v)) = echoed.iter().find(|(c, _)| *c == id) else {
            return self.by_values(echoed);
        };
        // An identifier that repeats in the job names several records: the other echoed
        // values pick the one (a key chosen for update that is not unique, say).
        if self.identifier_count(id, v) > 1
            && echoed.len() > 1
            && let Some(hit) = self.by_values(echoed)
        {
            return Some(hit);
        }
        match self.find(vec![id], v) {
            Some(p) => Some((p, Tie::Identifier)),
            None => self.by_values(echoed),
        }
    }

    fn by_message(&mut self, message: &str) -> Option<usize> {
        let id = self.identifier?;
        let mut hit: Option<String> = None;
        for token in message.split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';' | '"' | '\'' | '(' | ')' | '[' | ']' | '<' | '>'
                )
        }) {
            let token = norm(token.trim_end_matches(['.', ':']));
            if token.is_empty() {
                continue;
            }
            let known = self
                .lookups
                .entry(vec![id])
                .or_insert_with(|| build(self.job, &[id]))
                .contains_key(&token);
            if known {
                match &hit {
                    Some(h) if *h != token => return None, // names two records: no guess
                    _ => hit = Some(token),
                }
            }
        }
        let hit = hit?;
        self.find(vec![id], &hit)
    }
}

/// Ties each failure of a job to a record of `job`. `identifier` names the field whose
/// value identifies a record (the update key, or an e-mail); `processed` is how many
/// records (from the start of the file) the connector processed.
///
/// ```
/// use bulk_core::failures::{match_failures, SentJob, Tie};
/// use bulk_core::job::RecordError;
/// let job = SentJob::new(vec!["email".into()], vec![vec!["a@x.io".into()], vec!["b@x.io".into()]]);
/// let errors = [RecordError::from_json(&serde_json::json!({"status": "dup", "email": "B@x.io"}))];
/// let m = match_failures(&job, &errors, Some("email"), 2);
/// assert_eq!((m.refused[0].position, m.refused[0].tie), (1, Tie::Identifier));
/// ```
pub fn match_failures(
    job: &SentJob,
    errors: &[RecordError],
    identifier: Option<&str>,
    processed: usize,
) -> Matched {
    let mut m = Matcher {
        job,
        identifier: identifier.and_then(|f| job.column(f)),
        lookups: HashMap::new(),
        id_counts: None,
        taken: vec![None; job.len()],
        refused: Vec::new(),
    };
    let mut left: Vec<&str> = Vec::new();
    for e in errors {
        let echoed = echo(job, e);
        if let Some(p) = m.by_position(e, &echoed) {
            m.assign(p, &e.message, Tie::Position);
        } else if let Some((p, tie)) = m.by_echo(&echoed) {
            m.assign(p, &e.message, tie);
        } else if let Some(p) = m.by_message(&e.message) {
            m.assign(p, &e.message, Tie::Message);
        } else {
            left.push(&e.message);
        }
    }
    let free: Vec<usize> = (0..processed.min(job.len()))
        .filter(|p| m.taken[*p].is_none())
        .collect();
    let mut unidentified = Vec::new();
    if !left.is_empty() && left.len() == free.len() {
        for (p, msg) in free.into_iter().zip(left) {
            m.assign(p, msg, Tie::Order);
        }
    } else {
        unidentified = left.into_iter().map(str::to_string).collect();
    }
    m.refused.sort_unstable_by_key(|r| r.position);
    Matched {
        refused: m.refused,
        unidentified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn job(rows: &[(&str, &str)]) -> SentJob {
        SentJob::new(
            vec!["email".into(), "last_name".into()],
            rows.iter()
                .map(|(e, l)| vec![e.to_string(), l.to_string()])
                .collect(),
        )
    }

    fn errs(items: &[Value]) -> Vec<RecordError> {
        items.iter().map(RecordError::from_json).collect()
    }

    fn tied(m: &Matched) -> Vec<(usize, Tie)> {
        m.refused.iter().map(|r| (r.position, r.tie)).collect()
    }

    #[test]
    fn positions_under_any_common_name_are_one_based() {
        let j = job(&[("a@x.io", "A"), ("b@x.io", "B"), ("c@x.io", "C")]);
        for key in [
            "recordNumber",
            "rowNumber",
            "row_number",
            "rowNum",
            "position",
        ] {
            let m = match_failures(&j, &errs(&[json!({"status": "x", key: 2})]), None, 3);
            assert_eq!(tied(&m), [(1, Tie::Position)], "{key}");
        }
        // Out of range: not a position of this job.
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "x", "recordNumber": 9})]),
            None,
            3,
        );
        assert_eq!(m.unidentified, ["x"]);
    }

    #[test]
    fn a_field_called_like_a_position_is_data() {
        let j = SentJob::new(
            vec!["row".into(), "name".into()],
            vec![vec!["7".into(), "a".into()], vec!["1".into(), "b".into()]],
        );
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "x", "row": 1, "name": "b"})]),
            None,
            2,
        );
        assert_eq!(tied(&m), [(1, Tie::Values)]);
    }

    #[test]
    fn a_position_that_contradicts_the_echoed_identifier_is_not_trusted() {
        let j = job(&[("a@x.io", "A"), ("b@x.io", "B")]);
        // 0-based position 1 would point at b; the echo says a.
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "x", "recordNumber": 2, "record": {"email": "a@x.io"}})]),
            Some("email"),
            2,
        );
        assert_eq!(tied(&m), [(0, Tie::Identifier)]);
    }

    #[test]
    fn flat_and_nested_echoes_match_by_identifier() {
        let j = job(&[("a@x.io", "A"), ("b@x.io", "B"), ("c@x.io", "C")]);
        let m = match_failures(
            &j,
            &errs(&[
                json!({"status": "flat", "email": "C@X.IO ", "last_name": "C"}),
                json!({"status": "nested", "record": {"email": "a@x.io"}}),
            ]),
            Some("email"),
            3,
        );
        assert_eq!(tied(&m), [(0, Tie::Identifier), (2, Tie::Identifier)]);
        assert_eq!(m.refused[1].message, "flat");
        // "row" holding an object is the record, not a position.
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "n", "row": {"email": "b@x.io"}})]),
            Some("email"),
            3,
        );
        assert_eq!(tied(&m), [(1, Tie::Identifier)]);
    }

    #[test]
    fn duplicates_in_the_file_are_taken_in_file_order() {
        let j = job(&[
            ("a@x.io", "A"),
            ("d@x.io", "D"),
            ("a@x.io", "A"),
            ("a@x.io", "A"),
        ]);
        let items = [
            json!({"status": "dup 1", "email": "a@x.io", "last_name": "A"}),
            json!({"status": "dup 2", "email": "a@x.io", "last_name": "A"}),
        ];
        // Without an identifier: by all echoed values.
        let m = match_failures(&j, &errs(&items), None, 4);
        assert_eq!(tied(&m), [(0, Tie::Values), (2, Tie::Values)]);
        // With an identifier that repeats, the echoed values decide; here they are the same
        // too, so the duplicates are taken in file order either way.
        let m = match_failures(&j, &errs(&items), Some("email"), 4);
        assert_eq!(tied(&m), [(0, Tie::Values), (2, Tie::Values)]);
    }

    #[test]
    fn an_identifier_that_repeats_gives_way_to_the_other_echoed_values() {
        // Found by review: upsert keyed on first_name, two Anns, the second refused.
        let j = SentJob::new(
            vec!["email".into(), "first_name".into()],
            vec![
                vec!["ann@ok.example".into(), "Ann".into()],
                vec!["bob@conflict.example".into(), "Ann".into()],
                vec!["cid@ok.example".into(), "Cid".into()],
            ],
        );
        let m = match_failures(
            &j,
            &errs(&[
                json!({"status": "conflict", "email": "bob@conflict.example", "first_name": "Ann"}),
            ]),
            Some("first_name"),
            3,
        );
        assert_eq!(tied(&m), [(1, Tie::Values)]);
        // Echoing only the repeated identifier still takes the records in file order.
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "x", "first_name": "Ann"})]),
            Some("first_name"),
            3,
        );
        assert_eq!(tied(&m), [(0, Tie::Identifier)]);
    }

    #[test]
    fn echoed_numbers_match_what_was_sent() {
        let j = SentJob::new(
            vec!["code".into(), "limit".into()],
            vec![
                vec!["00742".into(), "12500.50".into()],
                vec!["742".into(), "1".into()],
            ],
        );
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "x", "code": "00742", "limit": 12500.5})]),
            None,
            2,
        );
        assert_eq!(tied(&m), [(0, Tie::Values)]);
        // 742 as a number is not the code 00742.
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "x", "code": 742, "limit": 1})]),
            None,
            2,
        );
        assert_eq!(tied(&m), [(1, Tie::Values)]);
    }

    #[test]
    fn a_message_naming_one_sent_value_finds_its_record() {
        let j = job(&[("a@x.io", "A"), ("b@x.io", "B"), ("c@x.io", "C")]);
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "Conflicts Found - emailAddress b@x.io."})]),
            Some("email"),
            3,
        );
        assert_eq!(tied(&m), [(1, Tie::Message)]);
        // Naming two records decides nothing.
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "a@x.io conflicts with c@x.io"})]),
            Some("email"),
            3,
        );
        assert!(m.refused.is_empty());
        assert_eq!(m.unidentified.len(), 1);
    }

    #[test]
    fn only_messages_go_by_order_when_every_leftover_record_failed() {
        let j = job(&[("a@x.io", "A"), ("b@x.io", "B"), ("c@x.io", "C")]);
        let items = [json!({"status": "m1"}), json!({"status": "m2"})];
        // Two of three processed: which two is unknown.
        let m = match_failures(&j, &errs(&items), Some("email"), 3);
        assert_eq!((m.refused.len(), m.unidentified.len()), (0, 2));
        // Two processed, two failed: both, in order.
        let m = match_failures(&j, &errs(&items), Some("email"), 2);
        assert_eq!(tied(&m), [(0, Tie::Order), (1, Tie::Order)]);
        assert_eq!(m.refused[1].message, "m2");
        // One identified by position, two left for the two leftover records.
        let items = [
            json!({"status": "p", "recordNumber": 2}),
            json!({"status": "m1"}),
            json!({"status": "m3"}),
        ];
        let m = match_failures(&j, &errs(&items), None, 3);
        assert_eq!(
            tied(&m),
            [(0, Tie::Order), (1, Tie::Position), (2, Tie::Order)]
        );
        assert_eq!(m.refused[2].message, "m3");
    }

    #[test]
    fn a_record_reported_twice_is_one_refusal_with_both_messages() {
        let j = job(&[("a@x.io", "A"), ("b@x.io", "B")]);
        let items = [
            json!({"status": "bad email", "recordNumber": 1}),
            json!({"status": "bad name", "recordNumber": 1}),
        ];
        let m = match_failures(&j, &errs(&items), None, 2);
        assert_eq!(m.refused.len(), 1);
        assert_eq!(m.refused[0].message, "bad email; bad name");
        assert!(m.unidentified.is_empty());
    }

    #[test]
    fn ten_thousand_failures_are_matched_with_lookups_not_scans() {
        let n = 10_000;
        let j = SentJob::new(
            vec!["email".into(), "n".into()],
            (0..n)
                .map(|i| vec![format!("u{i}@x.io"), i.to_string()])
                .collect(),
        );
        let items: Vec<RecordError> = (0..n)
            .rev()
            .map(|i| RecordError::from_json(&json!({"status": "x", "email": format!("u{i}@x.io")})))
            .collect();
        let m = match_failures(&j, &items, Some("email"), n);
        assert_eq!(m.refused.len(), n);
        let items: Vec<RecordError> = (0..n)
            .map(|i| {
                RecordError::from_json(
                    &json!({"status": "x", "n": i, "email": format!("u{i}@x.io")}),
                )
            })
            .collect();
        let m = match_failures(&j, &items, None, n);
        assert!(m.refused.iter().enumerate().all(|(i, r)| r.position == i));
    }

    #[test]
    fn the_upload_file_reads_back() {
        let j = SentJob::from_upload(b"email,address.city\na@x.io,\"Zo\xc3\xab, Bern\"\n").unwrap();
        let m = match_failures(
            &j,
            &errs(&[json!({"status": "x", "record": {"address": {"city": "Zo\u{eb}, Bern"}}})]),
            None,
            1,
        );
        assert_eq!(tied(&m), [(0, Tie::Values)]);
    }
}
