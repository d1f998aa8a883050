//! A marked line or range of lines, as links and "go to line" name them: `#L10` and
//! `#L10-L20` (GitHub's form; `#L20-L10` is the same range), "10" and "10-20" typed.
//! Lines here are 1-based, as people and links count them.

/// Lines `first..=last` (1-based, `first <= last`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineSpan {
    pub first: u64,
    pub last: u64,
}

impl LineSpan {
    /// One line.
    pub fn line(n: u64) -> LineSpan {
        LineSpan { first: n, last: n }
    }

    /// The lines between `a` and `b`, whichever comes first.
    pub fn between(a: u64, b: u64) -> LineSpan {
        LineSpan {
            first: a.min(b),
            last: a.max(b),
        }
    }

    pub fn is_single(&self) -> bool {
        self.first == self.last
    }

    /// How many lines it holds (never none: a span has a first line).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> u64 {
        self.last - self.first + 1
    }

    pub fn contains(&self, n: u64) -> bool {
        (self.first..=self.last).contains(&n)
    }

    /// The span within a log of `total` lines: cut at its end, `None` when it starts past it.
    pub fn within(self, total: u64) -> Option<LineSpan> {
        (self.first <= total).then(|| LineSpan {
            first: self.first,
            last: self.last.min(total),
        })
    }

    /// Its URL fragment: `#L10` or `#L10-L20`.
    pub fn hash(&self) -> String {
        if self.is_single() {
            format!("#L{}", self.first)
        } else {
            format!("#L{}-L{}", self.first, self.last)
        }
    }

    /// 0-based indices of its lines.
    pub fn indices(&self) -> std::ops::Range<u64> {
        self.first - 1..self.last
    }
}

/// The span a URL fragment names: `#L10`, `#L10-L20`, `#L20-L10`; anything else is `None`.
pub fn span_from_hash(hash: &str) -> Option<LineSpan> {
    let rest = hash.strip_prefix('#').unwrap_or(hash).strip_prefix('L')?;
    let (a, b) = match rest.split_once('-') {
        Some((a, b)) => (a, b.strip_prefix('L')?),
        None => (rest, rest),
    };
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
            .filter(|n| *n >= 1)
    };
    Some(LineSpan::between(number(a)?, number(b)?))
}

/// What "go to line" names: a line ("1,234") or a range ("10-20", "10–20", "10 - 20"), with
/// any thousands separators people type, within a log of `total` lines.
pub fn parse_span_input(input: &str, total: u64) -> Option<LineSpan> {
    let one = |s: &str| super::parse_line_number(s, total);
    match input.split_once(['-', '–']) {
        Some((a, b)) => Some(LineSpan::between(one(a)?, one(b)?)),
        None => one(input).map(LineSpan::line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_name_a_line_or_a_range_in_either_order() {
        assert_eq!(span_from_hash("#L10"), Some(LineSpan::line(10)));
        assert_eq!(
            span_from_hash("#L10-L20"),
            Some(LineSpan {
                first: 10,
                last: 20
            })
        );
        assert_eq!(
            span_from_hash("#L20-L10"),
            Some(LineSpan {
                first: 10,
                last: 20
            })
        );
        assert_eq!(span_from_hash("L7-L7"), Some(LineSpan::line(7)));
        for junk in [
            "",
            "#",
            "#L",
            "#L0",
            "#L0-L3",
            "#L3-L0",
            "#L10-",
            "#L10-20",
            "#L-L2",
            "#Lx",
            "#L1-L2-L3",
            "#L+5",
            "#L 5",
            "#top",
            "#L99999999999999999999999",
        ] {
            assert_eq!(span_from_hash(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn spans_cut_at_the_log_and_write_their_links() {
        let s = LineSpan::between(20, 10);
        assert_eq!(s.hash(), "#L10-L20");
        assert_eq!(LineSpan::line(4).hash(), "#L4");
        assert_eq!(s.len(), 11);
        assert_eq!(s.indices(), 9..20);
        assert!(s.contains(10) && s.contains(20) && !s.contains(21));
        assert_eq!(
            s.within(15),
            Some(LineSpan {
                first: 10,
                last: 15
            })
        );
        assert_eq!(s.within(9), None, "starts past the end");
        assert_eq!(s.within(100), Some(s));
        for s in [LineSpan::line(3), LineSpan::between(5, 9)] {
            assert_eq!(span_from_hash(&s.hash()), Some(s), "its link reads back");
        }
    }

    #[test]
    fn go_to_reads_a_line_or_a_range() {
        assert_eq!(
            parse_span_input("1,234", 5_000),
            Some(LineSpan::line(1_234))
        );
        assert_eq!(
            parse_span_input("10-20", 5_000),
            Some(LineSpan {
                first: 10,
                last: 20
            })
        );
        assert_eq!(
            parse_span_input(" 20 – 10 ", 5_000),
            Some(LineSpan {
                first: 10,
                last: 20
            })
        );
        assert_eq!(
            parse_span_input("1,000-2,000", 5_000),
            Some(LineSpan {
                first: 1_000,
                last: 2_000
            })
        );
        assert_eq!(parse_span_input("10-9999", 5_000), None, "past the end");
        assert_eq!(parse_span_input("10-", 5_000), None);
        assert_eq!(parse_span_input("-3", 5_000), None);
    }
}
