//! What a repository path's text says, before any file is looked at: its percent-decoding and
//! its extension.

/// Percent-decoding of a URL path or a DITA `href` (UTF-8); None when malformed: a `%` not
/// followed by two hex digits (the `percent-encoding` crate would keep it as it is, and a
/// path must not mean two things), or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let well_formed = bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Lower-case extension of a repository path ("" when none).
pub fn extension(repo_path: &str) -> String {
    let name = repo_path.rsplit('/').next().unwrap_or("");
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("/a%20b/%C3%BC").as_deref(), Some("/a b/ü"));
        assert_eq!(percent_decode("/%2e%2e").as_deref(), Some("/.."));
        assert_eq!(percent_decode("/bad%zz"), None);
        assert_eq!(percent_decode("/cut%2"), None);
        assert_eq!(percent_decode("/sign%+1"), None, "not a hex digit");
        assert_eq!(percent_decode("/%FF"), None, "not UTF-8");
    }

    #[test]
    fn extensions() {
        assert_eq!(extension("/content/dam/a/B.DITA"), "dita");
        assert_eq!(extension("/content/dam/a/.profile"), "");
        assert_eq!(extension("/content/dam/a/noext"), "");
    }
}
