extension StringProtocol {
    /// Drops leading and trailing characters found in `set`.
    func trimmingCharacters(in set: String = " \t\r\n") -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
