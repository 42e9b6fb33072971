/// A failure of a cryptographic operation. The description never contains key material or plaintext.
public struct CryptoError: Error, CustomStringConvertible, Sendable, Equatable {
    private enum Code: String, Sendable {
        case randomFailed, malformedSealedValue, unknownKey, authenticationFailed, invalidKey, operationFailed
    }
    private let code: Code

    /// The system's random source failed.
    public static let randomFailed = CryptoError(code: .randomFailed)
    /// A sealed value is not in the `v1:<key id>:<base64>` form.
    public static let malformedSealedValue = CryptoError(code: .malformedSealedValue)
    /// The sealed value names a key that is neither the current nor the previous master key.
    public static let unknownKey = CryptoError(code: .unknownKey)
    /// The tag did not verify: wrong key, wrong associated data, or tampered ciphertext.
    public static let authenticationFailed = CryptoError(code: .authenticationFailed)
    /// A key of the wrong length.
    public static let invalidKey = CryptoError(code: .invalidKey)
    /// OpenSSL reported an internal failure.
    public static let operationFailed = CryptoError(code: .operationFailed)

    public var description: String {
        switch code {
        case .randomFailed: "secure random bytes could not be generated"
        case .malformedSealedValue: "a stored secret is not in the sealed format"
        case .unknownKey: "a stored secret was sealed with a master key that is not configured"
        case .authenticationFailed: "a stored secret failed authentication (wrong key, wrong owner, or tampered)"
        case .invalidKey: "a key has the wrong length"
        case .operationFailed: "the cryptographic library reported a failure"
        }
    }
}
