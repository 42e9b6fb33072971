import FoundationEssentials

/// Seals secrets at rest with AES-256-GCM under the master key.
///
/// Sealed form (text, safe to store): `v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`. The associated data binds a
/// value to its owner and field (for example `connection:7:slack_bot_token`), so a sealed value copied to
/// another row or field does not open.
public struct SecretBox: Sendable {
    private let keys: MasterKeys

    public init(keys: MasterKeys) { self.keys = keys }

    public func seal(_ plaintext: [UInt8], associatedData: String) throws(CryptoError) -> String {
        let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
        let (ciphertext, tag) = try AESGCM.seal(
            plaintext, key: keys.current.bytes, nonce: nonce, associatedData: Array(associatedData.utf8))
        return "v1:\(keys.current.id):" + Data(nonce + ciphertext + tag).base64EncodedString()
    }

    public func seal(_ plaintext: String, associatedData: String) throws(CryptoError) -> String {
        try seal(Array(plaintext.utf8), associatedData: associatedData)
    }

    public func open(_ sealed: String, associatedData: String) throws(CryptoError) -> [UInt8] {
        let parts = sealed.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let raw = Data(base64Encoded: String(parts[2])),
              raw.count >= AESGCM.nonceSize + AESGCM.tagSize
        else { throw .malformedSealedValue }
        guard let key = keys.key(withID: String(parts[1])) else { throw .unknownKey }
        let bytes = Array(raw)
        let nonce = Array(bytes[0..<AESGCM.nonceSize])
        let ciphertext = Array(bytes[AESGCM.nonceSize..<(bytes.count - AESGCM.tagSize)])
        let tag = Array(bytes[(bytes.count - AESGCM.tagSize)...])
        return try AESGCM.open(ciphertext, tag: tag, key: key.bytes, nonce: nonce, associatedData: Array(associatedData.utf8))
    }

    public func openString(_ sealed: String, associatedData: String) throws(CryptoError) -> String {
        let bytes = try open(sealed, associatedData: associatedData)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The id of the key a sealed value names, or nil when malformed.
    public static func keyID(of sealed: String) -> String? {
        let parts = sealed.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "v1" ? String(parts[1]) : nil
    }
}
