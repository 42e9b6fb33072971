import Core
import Glibc

/// Rows of text aligned in columns for a terminal: a header row, every column padded to its widest cell, two spaces
/// between columns, no trailing spaces. When the table is wider than `width`, the widest of the `shrinkable` columns
/// (by default the last one: long text such as `last_error`) are narrowed, never below their header or
/// `minimumColumnWidth`, and their long cells cut with `…`; the other columns (job ids, times) are never cut. Tabs,
/// newlines and other control characters in a cell are shown as spaces.
///
/// The width is `COLUMNS`, else 100 on a terminal; output piped to another program (`… | grep`) is never cut, like
/// `ps`. Scripts should read `--json` rather than the table.
///
///     var table = TextTable(columns: ["ID", "STATE", "LAST ERROR"])
///     table.row(["12", "discarded", "chat.postMessage: channel_not_found: …"])
///     print(table.render())
struct TextTable {
    static let separator = "  "
    static let minimumColumnWidth = 8

    let columns: [String]
    /// The columns that may be narrowed to fit, by header.
    let shrinkable: Set<String>
    private(set) var rows: [[String]] = []

    init(columns: [String], shrinkable: Set<String>? = nil) {
        self.columns = columns
        self.shrinkable = shrinkable ?? Set(columns.suffix(1))
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    mutating func row(_ cells: [String]) {
        rows.append((0..<columns.count).map { $0 < cells.count ? Self.printable(cells[$0]) : "" })
    }

    /// The table, one line per row after the header, lines joined by `\n` (no final newline).
    func render(width: Int? = TextTable.outputWidth()) -> String {
        let all = [columns.map(Self.printable)] + rows
        var widths = columns.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        let floors = columns.indices.map {
            shrinkable.contains(columns[$0]) ? max(min(widths[$0], Self.minimumColumnWidth), columns[$0].count) : widths[$0]
        }
        while let width, widths.reduce(0, +) + Self.separator.count * (columns.count - 1) > width,
              let widest = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] }) {
            widths[widest] -= 1
        }
        return all.map { cells in
            var line = ""
            for (column, cell) in cells.enumerated() {
                let fitted = cell.count > widths[column] ? String(cell.prefix(widths[column] - 1)) + "…" : cell
                line += fitted
                if column < cells.count - 1 {
                    line += String(repeating: " ", count: widths[column] - fitted.count) + Self.separator
                }
            }
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// `COLUMNS` when it is a positive number, else 100 when standard output is a terminal, else nil (no limit).
    static func outputWidth(environment: Environment = .current()) -> Int? {
        if let columns = environment.nonEmpty("COLUMNS").flatMap({ Int($0) }), columns > 0 { return columns }
        return isatty(STDOUT_FILENO) == 1 ? 100 : nil
    }

    private static func printable(_ cell: String) -> String {
        String(cell.map { $0.isNewline || $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? " " : $0 })
    }
}
