//! The report as CSV (RFC 4180): a header, then one record per row, CRLF line ends, a field
//! quoted when it holds a comma, a quote, CR or LF (quotes doubled), or starts or ends with a
//! space. Written in chunks so a page can yield to the browser between them.

use super::report::Row;

/// The header record.
pub const HEADER: &str = "path,outcome,reason,log line,cause\r\n";

/// Appends one field, quoted when it must be.
pub fn push_field(out: &mut String, field: &str) {
    let needs_quotes =
        field.contains([',', '"', '\r', '\n']) || field.starts_with(' ') || field.ends_with(' ');
    if needs_quotes {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Appends one record.
pub fn push_row(out: &mut String, row: &Row) {
    push_field(out, &row.path);
    out.push(',');
    push_field(out, row.outcome.key());
    out.push(',');
    push_field(out, &row.reason);
    out.push(',');
    if let Some(line) = row.line {
        out.push_str(&line.to_string());
    }
    out.push(',');
    push_field(out, &super::causes::cause_words(&row.reason));
    out.push_str("\r\n");
}

/// The records of `rows[order[range]]`, one chunk of the file (the first chunk begins with
/// the header).
pub fn chunk(rows: &[Row], order: &[u32], range: std::ops::Range<usize>) -> String {
    let mut out = String::with_capacity((range.end - range.start) * 96 + HEADER.len());
    if range.start == 0 {
        out.push_str(HEADER);
    }
    for &i in &order[range] {
        push_row(&mut out, &rows[i as usize]);
    }
    out
}

/// The file name for a run's report: `<id>-report.csv`, with characters a file name cannot
/// hold replaced.
pub fn file_name(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}-report.csv")
}

#[cfg(test)]
mod tests {
    use super::super::report::Outcome;
    use super::*;

    fn field(s: &str) -> String {
        let mut out = String::new();
        push_field(&mut out, s);
        out
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(field("/content/dam/a.dita"), "/content/dam/a.dita");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(
            field(r#"Unresolved href "x.dita""#),
            r#""Unresolved href ""x.dita""""#
        );
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("cr\r"), "\"cr\r\"");
        assert_eq!(field(" padded"), "\" padded\"");
        assert_eq!(field(""), "");
        assert_eq!(field("Bifröst Gateway"), "Bifröst Gateway");
    }

    #[test]
    fn chunks_make_one_file_with_one_header() {
        let rows = vec![
            Row {
                path: "/content/dam/b, c.dita".into(),
                outcome: Outcome::Failed,
                reason: "Malformed \"x\"".into(),
                line: Some(12),
            },
            Row {
                path: "/content/dam/a.dita".into(),
                outcome: Outcome::Succeeded,
                reason: String::new(),
                line: None,
            },
        ];
        let order = [1, 0];
        let file = chunk(&rows, &order, 0..1) + &chunk(&rows, &order, 1..2);
        assert_eq!(
            file,
            "path,outcome,reason,log line,cause\r\n/content/dam/a.dita,succeeded,,,\r\n\"/content/dam/b, c.dita\",failed,\"Malformed \"\"x\"\"\",12,\"Malformed \"\"x\"\"\"\r\n"
        );
        assert_eq!(file_name("job-7f3a"), "job-7f3a-report.csv");
        assert_eq!(file_name("a/b c"), "a_b_c-report.csv");
    }
}
