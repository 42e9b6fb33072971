import Core
import Domain

/// The transport policy for outgoing URLs, checked before any I/O: `https` always; plain `http` only to a loopback
/// host (`localhost`, `127.0.0.0/8`, `[::1]`). libcurl is additionally restricted to the http/https protocols.
///
/// The parser is deliberately stricter than RFC 3986 so that it can never disagree with libcurl about which host a
/// URL names: control characters, spaces and backslashes, more than one `@`, empty or non-numeric ports and unusual host
/// characters (percent-encoding, IPv6 zone ids) all make the URL invalid.
public enum URLPolicy {
    /// Throws `HTTPError.invalidURL` or `.insecureURL` (both permanent) unless `url` is allowed.
    public static func check(_ url: String) throws(HTTPError) {
        guard let parts = parse(url) else { throw HTTPError(.invalidURL, .permanent) }
        switch parts.scheme {
        case "https": return
        case "http" where isLoopback(host: parts.host): return
        default: throw HTTPError(.insecureURL, .permanent)
        }
    }

    /// Whether `url` may receive a Slack `response_url` post (DESIGN.md §7 Security): `https://hooks.slack.com/…`
    /// with no user part, or a loopback `http://` URL (the sandbox, tests). A signed payload's `response_url` is
    /// still outside input: it is never followed anywhere else.
    public static func isSlackResponseURL(_ url: String) -> Bool {
        guard let parts = parse(url), !url.dropFirst(parts.scheme.count + 3).prefix(while: { !"/?#".contains($0) }).contains("@")
        else { return false }
        switch parts.scheme {
        case "https": return parts.host == "hooks.slack.com" && !url.lowercased().hasPrefix("https://hooks.slack.com:")
        case "http": return isLoopback(host: parts.host)
        default: return false
        }
    }

    /// Whether `host` (lower-cased, IPv6 without brackets) is `localhost`, a dotted-quad `127.x.y.z` or `::1`.
    static func isLoopback(host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy(isDigit), let value = Int(octet), value <= 255
            else { return false }
        }
        return octets[0] == "127"
    }

    /// The parts of an absolute URL that the policy and the audit log need.
    struct Parts {
        /// Lower-cased.
        var scheme: String
        /// Lower-cased; an IPv6 literal without its brackets.
        var host: String
        /// The path only (no query or fragment); `/` when empty.
        var path: String
    }

    static func parse(_ url: String) -> Parts? {
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" }),
              let colon = url.firstIndex(of: ":")
        else { return nil }
        let scheme = url[..<colon]
        guard let first = scheme.first, isLetter(first),
              scheme.allSatisfy({ isLetter($0) || isDigit($0) || "+-.".contains($0) })
        else { return nil }

        let afterScheme = url[url.index(after: colon)...]
        guard afterScheme.hasPrefix("//") else { return nil }
        let hierarchy = afterScheme.dropFirst(2)
        let authorityEnd = hierarchy.firstIndex(where: { "/?#".contains($0) }) ?? hierarchy.endIndex
        let authority = hierarchy[..<authorityEnd]
        let remainder = hierarchy[authorityEnd...]

        let atSigns = authority.indices.filter { authority[$0] == "@" }
        guard atSigns.count <= 1 else { return nil }
        let hostAndPort = atSigns.first.map { authority[authority.index(after: $0)...] } ?? authority
        guard let host = parseHost(hostAndPort) else { return nil }

        let pathEnd = remainder.firstIndex(where: { "?#".contains($0) }) ?? remainder.endIndex
        let path = remainder[..<pathEnd]
        return Parts(scheme: scheme.lowercased(), host: host.lowercased(), path: path.isEmpty ? "/" : String(path))
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port` → the host, validated.
    private static func parseHost(_ hostAndPort: Substring) -> Substring? {
        let host: Substring
        let port: Substring?
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { return nil }
            host = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            let rest = hostAndPort[hostAndPort.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { return nil }
            port = rest.isEmpty ? nil : rest.dropFirst()
            guard host.allSatisfy({ "0123456789abcdefABCDEF:.".contains($0) }) else { return nil }
        } else {
            let colon = hostAndPort.firstIndex(of: ":")
            host = hostAndPort[..<(colon ?? hostAndPort.endIndex)]
            port = colon.map { hostAndPort[hostAndPort.index(after: $0)...] }
            guard host.allSatisfy({ isLetter($0) || isDigit($0) || "-._".contains($0) }) else { return nil }
        }
        guard !host.isEmpty else { return nil }
        if let port {
            guard (1...5).contains(port.count), port.allSatisfy(isDigit), let number = Int(port),
                  number <= 65_535
            else { return nil }
        }
        return host
    }

    private static func isLetter(_ character: Character) -> Bool {
        character.isASCII && (("a"..."z").contains(character) || ("A"..."Z").contains(character))
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && ("0"..."9").contains(character)
    }
}

