//! The walk of a job's folder: every asset at or below it, in processing order (depth first,
//! names in byte order), without excluded paths and what the selection leaves out, and links
//! followed only while they stay inside the repository.

use std::fs;
use std::path::PathBuf;

use asset_processing_api::{is_at_or_below, normalize_path};

use super::{sorted_typed_entries, RepoError, Repository, Selection};

/// The assets a job will handle, and what the walk left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Walk {
    /// Repository paths in processing order (depth first, names in byte order).
    pub assets: Vec<String>,
    /// Folders and assets under an excluded path, not entered.
    pub excluded: u64,
    /// Assets whose extension is not in the filter.
    pub filtered: u64,
    /// Entries ignored because they are symlinks leading outside the repository.
    pub outside_links: Vec<String>,
}

impl Repository {
    /// Every asset at or below `start` in processing order, leaving out excluded paths and
    /// the assets `selection` does not keep. `stop` is asked now and then and ends the walk
    /// early when it answers true.
    pub fn walk(
        &self,
        start: &str,
        excluded: &[String],
        selection: &Selection,
        stop: &dyn Fn() -> bool,
    ) -> Result<Option<Walk>, RepoError> {
        let mut walk = Walk::default();
        let root_fs = self.resolve(start)?;
        let start = normalize_path(start).map_err(|e| RepoError::Invalid(e.to_string()))?;
        // (repository path, path on disk, its type as its folder's listing gave it: None
        // for the start) of entries still to visit, in reverse order.
        let mut stack: Vec<(String, PathBuf, Option<fs::FileType>)> = vec![(start, root_fs, None)];
        let mut seen = 0u64;
        let needs_file_facts = selection.needs_file_facts();
        while let Some((repo_path, fs_path, listed_type)) = stack.pop() {
            let is_root = listed_type.is_none();
            seen += 1;
            if seen.is_multiple_of(256) && stop() {
                return Ok(None);
            }
            if excluded.iter().any(|x| is_at_or_below(&repo_path, x)) {
                walk.excluded += 1;
                continue;
            }
            // A plain folder or file as listed (the listing's d_type; std asks the file
            // system only where it gives none): no system call of its own, unless the
            // selection needs the file's times. Links and the start take the checks below.
            match listed_type {
                Some(t) if t.is_dir() => {
                    push_entries(&mut stack, &repo_path, &fs_path)?;
                    continue;
                }
                Some(t) if t.is_file() && !needs_file_facts => {
                    if selection.keeps_category(&repo_path) {
                        walk.assets.push(repo_path);
                    } else {
                        walk.filtered += 1;
                    }
                    continue;
                }
                _ => {}
            }
            // Entries come from listing a real folder inside the repository, so only the
            // entry itself can be a link: only links need the (costly) full resolution.
            let Ok(own) = fs::symlink_metadata(&fs_path) else {
                continue;
            }; // vanished
            let is_link = own.file_type().is_symlink();
            let (real, meta) = if is_link || is_root {
                match fs_path.canonicalize() {
                    Ok(r) if r.starts_with(&self.root) => {
                        let Ok(meta) = fs::metadata(&r) else { continue };
                        (r, meta)
                    }
                    Ok(_) => {
                        walk.outside_links.push(repo_path);
                        continue;
                    }
                    Err(_) => continue, // a dangling link, or vanished while walking
                }
            } else {
                (fs_path.clone(), own)
            };
            if !meta.is_dir() {
                if selection.keeps(&repo_path, &meta) {
                    walk.assets.push(repo_path);
                } else {
                    walk.filtered += 1;
                }
                continue;
            }
            // A symlinked folder inside the repository is not entered: its assets are
            // reached by their real path, once (and a link loop cannot trap the walk).
            if is_link && !is_root {
                continue;
            }
            push_entries(&mut stack, &repo_path, &real)?;
        }
        Ok(Some(walk))
    }
}

/// The entries of the folder `dir` (at `repo_path`) onto the walk's stack, the first on top.
fn push_entries(
    stack: &mut Vec<(String, PathBuf, Option<fs::FileType>)>,
    repo_path: &str,
    dir: &std::path::Path,
) -> Result<(), RepoError> {
    let entries = sorted_typed_entries(dir).map_err(|e| RepoError::Io(e.to_string()))?;
    for (name, path, file_type) in entries.into_iter().rev() {
        stack.push((format!("{repo_path}/{name}"), path, Some(file_type)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repository::test_repository;
    use asset_processing_api::FileCategory;

    #[test]
    fn walk_is_ordered_and_honours_exclusions_and_types() {
        let (_d, r) = test_repository();
        let w = r
            .walk("/content/dam", &[], &Selection::default(), &|| false)
            .unwrap()
            .unwrap();
        let mut expected = vec![
            "/content/dam/a/b/y.png",
            "/content/dam/a/b/z.dita",
            "/content/dam/a/old/q.dita",
            "/content/dam/a/x.dita",
            "/content/dam/c.txt",
        ];
        if cfg!(unix) {
            expected.insert(2, "/content/dam/a/inside-link.txt");
            assert_eq!(
                w.outside_links,
                vec!["/content/dam/a/escape-dir", "/content/dam/a/escape.txt"]
            );
        }
        assert_eq!(w.assets, expected);

        let w = r
            .walk(
                "/content/dam/a",
                &["/content/dam/a/old".into()],
                &Selection {
                    categories: vec![FileCategory::DitaTopic],
                    ..Selection::default()
                },
                &|| false,
            )
            .unwrap()
            .unwrap();
        assert_eq!(
            w.assets,
            vec!["/content/dam/a/b/z.dita", "/content/dam/a/x.dita"]
        );
        assert_eq!(w.excluded, 1);
        assert!(w.filtered >= 1);

        let single = r
            .walk("/content/dam/c.txt", &[], &Selection::default(), &|| false)
            .unwrap()
            .unwrap();
        assert_eq!(single.assets, vec!["/content/dam/c.txt"]);
    }
}
