//! The browser entry point Trunk builds; everything lives in the library so browser tests
//! can mount the same components.

fn main() {
    bulk_uploader::start();
}
