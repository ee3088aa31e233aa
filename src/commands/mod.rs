//! One module per subcommand: each reads its inputs through the stages and
//! prints a report.

pub mod audit;
pub mod calls;
pub mod endpoints;
pub mod routes;

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table};

/// No borders, no lines: plain columns, like every other table of cov.
const LIST_STYLE: &str = "                   ";

/// An empty listing table: plain columns, coloured cells only when `color`.
fn list_table(color: bool) -> Table {
    let mut table = Table::new();
    table
        .load_preset(LIST_STYLE)
        .set_content_arrangement(ContentArrangement::Disabled);
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// Writes a listing table with two spaces between columns and no trailing blanks.
fn write_list_table<W: Write>(out: &mut W, table: &mut Table) -> io::Result<()> {
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    writeln!(out, "{}", table.trim_fmt())
}
