/// The names most like a missing one, for "did you mean": case-insensitive edit distance (Levenshtein), nearest
/// first, ties by name, at most `limit`, none further than half the name's length (at least 3) away.
public enum ClosestNames {
    public static func closest(to name: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let target = Array(name.lowercased().unicodeScalars)
        let threshold = max(3, target.count / 2)
        let ranked = Set(candidates).compactMap { candidate -> (distance: Int, name: String)? in
            guard candidate != name else { return nil }
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
            return distance <= threshold ? (distance, candidate) : nil
        }
        return ranked.sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }.prefix(limit).map(\.name)
    }

    /// Insertions, deletions and substitutions turning `a` into `b`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
