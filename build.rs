// `sqlx::migrate!` embeds the migration files at compile time: a new or changed one must
// rebuild the crate, which cargo does not know on its own.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
