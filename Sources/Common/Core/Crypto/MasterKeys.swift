import FoundationEssentials

/// A 32-byte master key and its short public identifier (derived, never the key itself).
public struct MasterKey: Sendable {
    let bytes: [UInt8]
    /// First 8 bytes of SHA-256("mlc-key-id:" + key), hex; written into every sealed value.
    public let id: String

    public init(bytes: [UInt8]) throws(CryptoError) {
        guard bytes.count == AESGCM.keySize else { throw .invalidKey }
        self.bytes = bytes
        self.id = Digest.hex(Array(Digest.sha256(Array("mlc-key-id:".utf8) + bytes).prefix(8)))
    }

    /// Parses base64 of exactly 32 bytes; nil for anything else.
    public init?(base64: String) {
        let trimmed = base64.trimmingCharacters()
        guard let data = Data(base64Encoded: trimmed), data.count == AESGCM.keySize,
              let key = try? MasterKey(bytes: Array(data))
        else { return nil }
        self = key
    }
}

/// The key that seals secrets now, and optionally the one being rotated out (used only to open).
public struct MasterKeys: Sendable {
    public let current: MasterKey
    public let previous: MasterKey?

    public init(current: MasterKey, previous: MasterKey? = nil) {
        self.current = current
        self.previous = previous
    }

    func key(withID id: String) -> MasterKey? {
        if current.id == id { return current }
        if let previous, previous.id == id { return previous }
        return nil
    }
}
