//! The first screen's module, the one `index.html` starts: the connection form and no more,
//! so the start page downloads a small wasm. It loads the app's module as soon as the form
//! is shown and hands over to it (`bulk_uploader::first_screen`).

fn main() {
    bulk_uploader::first_screen::start();
}
