#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Err(e) = wkcrm::cli::run() {
        eprintln!("wkcrm: {e}");
        std::process::exit(1);
    }
}
