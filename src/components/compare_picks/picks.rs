//! Which runs are ticked for comparison, and the comparison's route once two are (pure,
//! tested natively).

/// Ticks or unticks a run for comparison; the runs stay in the order they were picked.
pub fn toggle_pick(picked: &mut Vec<String>, id: &str) {
    match picked.iter().position(|p| p == id) {
        Some(i) => {
            picked.remove(i);
        }
        None => picked.push(id.to_string()),
    }
}

/// The comparison's route once exactly two runs are picked (`/compare/<a>/<b>`).
pub fn compare_route(picked: &[String]) -> Option<String> {
    match picked {
        [a, b] => Some(format!(
            "/compare/{}/{}",
            crate::api::encode_component(a),
            crate::api::encode_component(b)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_runs_picked_make_a_comparison() {
        let mut picked = Vec::new();
        assert_eq!(compare_route(&picked), None);
        toggle_pick(&mut picked, "b");
        toggle_pick(&mut picked, "a");
        assert_eq!(compare_route(&picked).as_deref(), Some("/compare/b/a"));
        toggle_pick(&mut picked, "c");
        assert_eq!(compare_route(&picked), None);
        toggle_pick(&mut picked, "b");
        assert_eq!(picked, ["a", "c"]);
        assert_eq!(
            compare_route(&["a/b".into(), "c".into()]).as_deref(),
            Some("/compare/a%2Fb/c")
        );
    }
}
