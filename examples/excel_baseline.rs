//! The spreadsheet crates alone, for `bench/excel.sh`: what reading and writing a sheet
//! costs without wkcrm, so the benchmark can report what wkcrm adds.
//!
//!   excel_baseline read FILE.xlsx          every cell through calamine's cells reader
//!   excel_baseline write ROWS COLS FILE    a constant-memory sheet, text cells, zip level 3
//!   excel_baseline columns FILE.xlsx       the cells of the first row (to write as many)

use std::io::Cursor;

use calamine::{Reader, Xlsx};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("read") => read(&args[1]),
        Some("write") => write(args[1].parse()?, args[2].parse()?, &args[3]),
        Some("columns") => columns(&args[1]),
        _ => Err("usage: excel_baseline read FILE | write ROWS COLS FILE".into()),
    }
}

fn read(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let bytes = std::fs::read(path)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
    let name = book.sheet_names()[0].clone();
    let mut cells = book.worksheet_cells_reader(&name)?;
    let (mut n, mut rows) = (0u64, 0u32);
    while let Some(cell) = cells.next_cell()? {
        n += 1;
        rows = rows.max(cell.get_position().0 + 1);
    }
    println!(
        "read {rows} rows, {n} cells in {:.2}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn columns(path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(path)?))?;
    let name = book.sheet_names()[0].clone();
    let mut cells = book.worksheet_cells_reader(&name)?;
    let mut n = 0;
    while let Some(cell) = cells.next_cell()? {
        if cell.get_position().0 > 0 {
            break;
        }
        n += 1;
    }
    println!("{n}");
    Ok(())
}

fn write(rows: u32, cols: u16, path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let mut book = rust_xlsxwriter::Workbook::new();
    book.set_zip_compression_level(3);
    let sheet = book.add_worksheet_with_constant_memory()?;
    for r in 0..=rows {
        for c in 0..cols {
            sheet.write_string(r, c, format!("单元格{r}-{c}"))?;
        }
    }
    book.save(path)?;
    println!(
        "wrote {rows} rows × {cols} columns in {:.2}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
