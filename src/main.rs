//! Entry point: only mounts the console (see `lib.rs`).

fn main() {
    asset_processing_console::start();
}
