fn main() {
    if let Err(e) = wkcrm::cli::run() {
        eprintln!("wkcrm: {e}");
        std::process::exit(1);
    }
}
