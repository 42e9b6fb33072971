import Core
import Domain
import Outbound
import Interactions
import Foundation

/// A literal in an OData key or `$filter`: `'text'` (with `''` for a quote), a number, an unquoted GUID,
/// `true`/`false`, or an enum value `Microsoft.Dynamics.DataEntities.NoYes'Yes'`.
enum ODataLiteral: Sendable, Equatable {
    case string(String)
    case number(String)
    case guid(String)
    case bool(Bool)
    case enumSymbol(type: String, symbol: String)

    struct Failure: Error {
        let reason: String
    }

    /// Parses one literal at the start of `text`, returning it and the rest of the text.
    static func parse(prefixOf text: Substring) throws(Failure) -> (literal: ODataLiteral, rest: Substring) {
        if text.first == "'" {
            let (value, rest) = try quoted(text)
            return (.string(value), rest)
        }
        let token = text.prefix { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "_" }
        let afterToken = text[token.endIndex...]
        if afterToken.first == "'" && !token.isEmpty {
            let (symbol, rest) = try quoted(afterToken)
            return (.enumSymbol(type: String(token), symbol: symbol), rest)
        }
        if isGUID(token) { return (.guid(String(token)), afterToken) }
        if token == "true" || token == "false" { return (.bool(token == "true"), afterToken) }
        if case .number(let text)? = try? JSONParser.parse(token.utf8) { return (.number(text), afterToken) }
        throw Failure(reason: token.isEmpty ? "a literal was expected" : "'\(token)' is not a valid literal")
    }

    private static func quoted(_ text: Substring) throws(Failure) -> (String, Substring) {
        var value = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if character == "'" {
                if index < text.endIndex && text[index] == "'" {
                    value.append("'")
                    index = text.index(after: index)
                } else {
                    return (value, text[index...])
                }
            } else {
                value.append(character)
            }
        }
        throw Failure(reason: "unterminated string literal")
    }

    private static func isGUID(_ token: Substring) -> Bool {
        let groups = token.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// Whether a stored field value equals this literal. Text, GUIDs and enum symbols compare case-insensitively,
    /// as on F&O's SQL Server collation; numbers compare by decimal value (`1` equals `1.0`).
    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string(let literal), .string(let stored)),
             (.guid(let literal), .string(let stored)),
             (.enumSymbol(_, let literal), .string(let stored)):
            return literal.lowercased() == stored.lowercased()
        case (.number(let literal), .number(let stored)):
            return Decimal(string: literal) == Decimal(string: stored)
        case (.bool(let literal), .bool(let stored)):
            return literal == stored
        default:
            return false
        }
    }
}
