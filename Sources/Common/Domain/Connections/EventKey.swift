import FoundationEssentials
public import Core

/// The per-connection business-event key (`?code=`). Only its SHA-256 is stored.
public enum EventKey {
    /// 32 random bytes, base64url without padding (43 characters).
    public static func generate() throws(CryptoError) -> String {
        let text = Data(try SecureRandom.bytes(32)).base64EncodedString()
        return String(text.replacing("+", with: "-").replacing("/", with: "_").filter { $0 != "=" })
    }

    public static func hash(_ key: String) -> [UInt8] { Digest.sha256(key) }

    /// Compares a presented key with a stored hash in constant time. With no stored hash (unknown connection)
    /// the same work is done against a dummy, so the two cases cannot be told apart.
    public static func verify(_ presented: String?, against storedHash: [UInt8]?) -> Bool {
        let candidate = Digest.sha256(presented ?? "")
        let reference = storedHash ?? dummyHash
        let matches = Digest.constantTimeEqual(candidate, reference)
        return matches && storedHash != nil && presented?.isEmpty == false
    }

    private static let dummyHash = Digest.sha256("ml-connector: no such connection")
}
