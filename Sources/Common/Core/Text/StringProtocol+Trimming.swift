extension StringProtocol {
    /// Drops leading and trailing characters made only of scalars in `set` (spaces, tabs and line breaks by
    /// default, `\r\n` included). The one trimmer of the code base.
    public func trimmingCharacters(in set: String = " \t\r\n") -> String {
        let trimmed = Set(set.unicodeScalars)
        let keep: (Character) -> Bool = { !$0.unicodeScalars.allSatisfy(trimmed.contains) }
        let text = Substring(self)
        guard let first = text.firstIndex(where: keep), let last = text.lastIndex(where: keep) else { return "" }
        return String(text[first...last])
    }
}
