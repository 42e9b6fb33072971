import Glibc

/// Raw reads from stdin and writes to stdout, retrying on EINTR and short transfers.
public enum StandardStreams {
    /// Reads exactly `count` bytes, or fewer if stdin ends first.
    public static func read(count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress! + filled, count - filled) }
            if n > 0 { filled += n } else if n < 0 && errno == EINTR { continue } else { break }
        }
        buffer.removeSubrange(filled...)
        return buffer
    }

    /// Reads until end of input or `limit + 1` bytes, whichever comes first.
    public static func readAll(limit: Int) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while out.count <= limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress!, $0.count) }
            if n > 0 { out += chunk[0..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        return out
    }

    public static func write(_ bytes: [UInt8], to descriptor: Int32 = 1) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if n > 0 { written += n } else if n < 0 && errno == EINTR { continue } else { return }
        }
    }

    /// Writes a line to stderr (unbuffered, one write for short lines).
    public static func writeErrorLine(_ text: String) {
        write(Array(text.utf8) + [0x0a], to: 2)
    }
}
