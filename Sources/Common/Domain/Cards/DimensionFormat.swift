public import Core

/// The environment's financial dimension format for integrations ("Financial dimension configuration for
/// integrating applications"): segment names in order, e.g. `BusinessUnit-Department-CostCenter`. It splits the
/// display values entities carry (`DimensionDisplayValue`, `DefaultDimensionDisplayValue`, …) into named segments
/// (reference/dynamics-fo.md §3.4).
public struct DimensionFormat: Sendable, Equatable {
    /// Which of the environment's formats: the default one (for `…DimensionDisplayValue` fields) or the ledger one
    /// (for `AccountDisplayValue` of ledger accounts). Raw values are the `DimensionFormatType` symbols.
    public enum Kind: String, Sendable {
        case defaultDimension = "DataEntityDefaultDimensionFormat"
        case ledgerDimension = "DataEntityLedgerDimensionFormat"
    }

    public let names: [String]

    /// `format` is the `FinancialDimensionFormat` text: names separated by `-`.
    public init(_ format: String) {
        names = format.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters() }
    }

    /// The format as F&O writes it (`BusinessUnit-Department-CostCenter`).
    public var text: String { names.joined(separator: "-") }

    /// The active format of `kind` in a `DimensionIntegrationFormats` response (`{"value":[…]}` or the bare array),
    /// or nil when there is none.
    public static func active(_ kind: Kind, in formats: JSONValue) -> DimensionFormat? {
        let rows = formats.arrayValue ?? formats.value(forCaseInsensitiveKey: "value")?.arrayValue ?? []
        for row in rows {
            let type = row.value(forCaseInsensitiveKey: "DimensionFormatType")?.stringValue
            guard type?.lowercased() == kind.rawValue.lowercased(),
                  isActive(row.value(forCaseInsensitiveKey: "IsActive")),
                  let format = row.value(forCaseInsensitiveKey: "FinancialDimensionFormat")?.stringValue,
                  !format.trimmingCharacters().isEmpty
            else { continue }
            return DimensionFormat(format)
        }
        return nil
    }

    /// The non-empty segments of `displayValue` with their names: `-` separates segments, `\-` is a hyphen inside a
    /// value, and segments beyond the format's names are called `Segment N` (N counting from 1).
    public func split(_ displayValue: String) -> [(name: String, value: String)] {
        var segments: [String] = [""]
        var characters = displayValue.makeIterator()
        while let character = characters.next() {
            switch character {
            case "\\":
                guard let next = characters.next() else { segments[segments.count - 1].append("\\"); break }
                if next != "-" { segments[segments.count - 1].append("\\") }
                segments[segments.count - 1].append(next)
            case "-":
                segments.append("")
            default:
                segments[segments.count - 1].append(character)
            }
        }
        return segments.enumerated().compactMap { position, segment in
            let value = segment.trimmingCharacters()
            guard !value.isEmpty else { return nil }
            let name = position < names.count && !names[position].isEmpty ? names[position] : "Segment \(position + 1)"
            return (name, value)
        }
    }

    /// `IsActive` is NoYes: `"Yes"` in JSON; a missing flag counts as active.
    private static func isActive(_ flag: JSONValue?) -> Bool {
        switch flag {
        case nil, .null: true
        case .bool(let value): value
        case .string(let text): text.lowercased() == "yes" || text.lowercased() == "true"
        default: false
        }
    }
}
