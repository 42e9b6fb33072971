extension Character {
    /// `0`…`9` only (not other Unicode digits).
    public var isASCIIDigit: Bool { isASCII && isNumber }
}
