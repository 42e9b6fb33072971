/// A JSON object that keeps its members in source (or insertion) order.
///
/// Keys are unique: setting an existing key replaces its value in place. When
/// built from input with duplicate keys (by `JSONParser` or the initializers),
/// the last value wins, at the position of the first occurrence.
///
/// Equality is order-sensitive: two objects are equal when they hold the same
/// members in the same order, so equal objects serialize identically.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Member = (key: String, value: JSONValue)

    /// Above this size, duplicate keys are found by hashing instead of scanning.
    private static let linearScanLimit = 32

    public private(set) var members: [Member]

    public init() {
        members = []
    }

    /// Builds an object from members in order; for duplicate keys the last value wins.
    public init(_ members: some Sequence<Member>) {
        let members = Array(members)
        guard members.count > Self.linearScanLimit else {
            self.members = []
            self.members.reserveCapacity(members.count)
            for (key, value) in members { self[key] = value }
            return
        }
        var positions: [String: Int] = [:]
        var unique: [Member] = []
        unique.reserveCapacity(members.count)
        for member in members {
            if let position = positions[member.key] {
                unique[position].value = member.value
            } else {
                positions[member.key] = unique.count
                unique.append(member)
            }
        }
        self.members = unique
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }

    /// The value for exactly `key` (Swift `String` equality, no case folding);
    /// setting replaces it in place or appends, `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let position = members.firstIndex { $0.key == key }
            switch (position, newValue) {
            case let (position?, value?): members[position].value = value
            case let (position?, nil): members.remove(at: position)
            case let (nil, value?): members.append((key: key, value: value))
            case (nil, nil): break
            }
        }
    }

    /// The value of the first member whose key equals `key` ignoring ASCII case.
    public func value(forCaseInsensitiveKey key: String) -> JSONValue? {
        members.first { Self.asciiCaseInsensitiveEqual($0.key, key) }?.value
    }

    public var keys: [String] { members.map(\.key) }
    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }

    public func makeIterator() -> IndexingIterator<[Member]> {
        members.makeIterator()
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.elementsEqual(rhs.members) { $0.key == $1.key && $0.value == $1.value }
    }

    private static func asciiCaseInsensitiveEqual(_ lhs: String, _ rhs: String) -> Bool {
        func lowercased(_ byte: UInt8) -> UInt8 {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
        }
        return lhs.utf8.elementsEqual(rhs.utf8) { lowercased($0) == lowercased($1) }
    }
}
