/// PLACEHOLDER until the CLI helper's TextTable lands (replaced at merge).
struct TextTable {
    let columns: [String]
    private var rows: [[String]] = []
    init(columns: [String]) { self.columns = columns }
    mutating func row(_ cells: [String]) { rows.append(cells) }
    func render() -> String {
        let all = [columns] + rows
        let widths = columns.indices.map { i in all.map { $0.indices.contains(i) ? $0[i].count : 0 }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            return line
        }.joined(separator: "\n")
    }
}
