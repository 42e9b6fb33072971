import Core
import Domain
import Outbound
import Interactions

extension JSONValue {
    /// The value of an integer JSON number that fits `Int`; `nil` for strings, fractions and exponents.
    var intValue: Int? {
        guard case .number = self, let value = int64Value else { return nil }
        return Int(exactly: value)
    }
}
