//! Which assets a walk keeps: the start request's file-type categories and creation-time
//! window.

use std::fs;

use asset_processing_api::{FileCategory, Filter};

use super::names::extension;

/// Which assets a walk keeps: the start request's file-type categories and creation-time
/// window (`filterProcessedAssets` is decided later, per asset, against earlier results).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Empty: every category.
    pub categories: Vec<FileCategory>,
    /// Created at or after (epoch ms).
    pub created_from: Option<i64>,
    /// Created at or before (epoch ms).
    pub created_until: Option<i64>,
}

impl Selection {
    pub fn from_filter(filter: &Filter) -> Selection {
        Selection {
            categories: filter.file_types.clone(),
            created_from: filter.start_time,
            created_until: filter.end_time,
        }
    }

    /// True when the asset at `repo_path`, with these file facts, is selected.
    pub fn keeps(&self, repo_path: &str, meta: &fs::Metadata) -> bool {
        self.keeps_category(repo_path) && self.keeps_time(created_ms(meta))
    }

    /// Whether [`Selection::keeps`] reads the file's facts (its times); when not,
    /// [`Selection::keeps_category`] alone decides.
    pub fn needs_file_facts(&self) -> bool {
        self.created_from.is_some() || self.created_until.is_some()
    }

    pub fn keeps_category(&self, repo_path: &str) -> bool {
        if self.categories.is_empty() {
            return true;
        }
        let category = FileCategory::of_path(repo_path);
        self.categories.iter().any(|wanted| match wanted {
            // A job stored by the first schema named extensions ("dita"); they read back as
            // unknown categories and keep meaning "this extension", so such a job resumes
            // with the assets it counted.
            FileCategory::Other(ext) => extension(repo_path) == ext.to_ascii_lowercase(),
            known => *known == category,
        })
    }

    fn keeps_time(&self, created: i64) -> bool {
        self.created_from.is_none_or(|from| created >= from)
            && self.created_until.is_none_or(|until| created <= until)
    }
}

/// When the file was created, in epoch ms: its birth time where the file system records one
/// (statx on ext4, btrfs, xfs, tmpfs), else its last modification (the contract's fallback).
pub fn created_ms(meta: &fs::Metadata) -> i64 {
    let time = meta.created().or_else(|_| meta.modified());
    match time.map(|t| t.duration_since(std::time::UNIX_EPOCH)) {
        Ok(Ok(since)) => since.as_millis().min(i64::MAX as u128) as i64,
        // Before 1970 or unreadable: older than any window's start.
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repository::Repository;

    /// The names (below /content/dam) that a walk of the whole repository keeps.
    fn selected(r: &Repository, selection: Selection) -> Vec<String> {
        let w = r
            .walk("/content/dam", &[], &selection, &|| false)
            .unwrap()
            .unwrap();
        w.assets
            .iter()
            .map(|p| p.trim_start_matches("/content/dam/").to_string())
            .collect()
    }

    #[test]
    fn categories_select_their_files() {
        let d = tempfile::tempdir().unwrap();
        for name in [
            "t.dita",
            "u.XML",
            "m.ditamap",
            "b.bookmap",
            "r.md",
            "p.html",
            "q.htm",
            "s.css",
            "v.ditaval",
            "i.png",
            "n",
        ] {
            fs::write(d.path().join(name), "x").unwrap();
        }
        let r = Repository::open(d.path()).unwrap();
        let pick = |categories: Vec<FileCategory>| {
            selected(
                &r,
                Selection {
                    categories,
                    ..Selection::default()
                },
            )
        };
        assert_eq!(pick(vec![FileCategory::DitaTopic]), ["t.dita", "u.XML"]);
        assert_eq!(
            pick(vec![FileCategory::DitaMap]),
            ["b.bookmap", "m.ditamap"]
        );
        assert_eq!(pick(vec![FileCategory::Markdown]), ["r.md"]);
        assert_eq!(
            pick(vec![FileCategory::HtmlCss]),
            ["p.html", "q.htm", "s.css"]
        );
        assert_eq!(pick(vec![FileCategory::Ditaval]), ["v.ditaval"]);
        assert_eq!(pick(vec![FileCategory::Others]), ["i.png", "n"]);
        assert_eq!(
            pick(vec![FileCategory::Markdown, FileCategory::Ditaval]),
            ["r.md", "v.ditaval"]
        );
        assert_eq!(pick(vec![]).len(), 11);
        // A first-release job's extension list still selects by extension.
        assert_eq!(pick(vec![FileCategory::Other("png".into())]), ["i.png"]);
    }

    #[test]
    fn the_time_window_selects_by_creation_time() {
        let d = tempfile::tempdir().unwrap();
        let pause = || std::thread::sleep(std::time::Duration::from_millis(60));
        let now = || crate::clock::now_ms();
        fs::write(d.path().join("early.dita"), "x").unwrap();
        pause();
        let after_early = now();
        pause();
        fs::write(d.path().join("middle.dita"), "x").unwrap();
        pause();
        let after_middle = now();
        pause();
        fs::write(d.path().join("late.dita"), "x").unwrap();
        // Touching a file later must not move it into a window: creation time counts
        // (where the file system records it; elsewhere modification time is the fallback).
        let created_of = |n: &str| created_ms(&fs::metadata(d.path().join(n)).unwrap());
        let birth_recorded = fs::metadata(d.path().join("early.dita"))
            .unwrap()
            .created()
            .is_ok();
        let r = Repository::open(d.path()).unwrap();
        let pick = |from: Option<i64>, until: Option<i64>| {
            selected(
                &r,
                Selection {
                    created_from: from,
                    created_until: until,
                    ..Selection::default()
                },
            )
        };
        assert_eq!(pick(Some(after_early), None), ["late.dita", "middle.dita"]);
        assert_eq!(
            pick(None, Some(after_middle)),
            ["early.dita", "middle.dita"]
        );
        assert_eq!(pick(Some(after_early), Some(after_middle)), ["middle.dita"]);
        assert_eq!(
            pick(Some(after_middle), Some(after_middle)),
            Vec::<String>::new()
        );
        // Bounds are inclusive.
        let middle = created_of("middle.dita");
        assert_eq!(pick(Some(middle), Some(middle)), ["middle.dita"]);
        if birth_recorded {
            fs::write(d.path().join("early.dita"), "changed").unwrap();
            assert_eq!(pick(Some(after_early), None), ["late.dita", "middle.dita"]);
        }
    }
}
