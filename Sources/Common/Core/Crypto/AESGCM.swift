import COpenSSL

/// AES-256-GCM with a 96-bit nonce and a 128-bit tag, over OpenSSL's EVP interface.
public enum AESGCM {
    public static let keySize = 32
    public static let nonceSize = 12
    public static let tagSize = 16

    /// Encrypts `plaintext`; returns the ciphertext and the tag.
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]
    ) throws(CryptoError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        guard key.count == keySize, nonce.count == nonceSize else { throw .invalidKey }
        let context = try CipherContext()
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count + 16)
        var tag = [UInt8](repeating: 0, count: tagSize)
        var written: Int32 = 0
        var total = 0
        guard EVP_EncryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              mlc_evp_gcm_set_ivlen(context.pointer, Int32(nonceSize)) == 1,
              EVP_EncryptInit_ex(context.pointer, nil, nil, key, nonce) == 1
        else { throw .operationFailed }
        if !associatedData.isEmpty {
            guard EVP_EncryptUpdate(context.pointer, nil, &written, associatedData, Int32(associatedData.count)) == 1
            else { throw .operationFailed }
        }
        if !plaintext.isEmpty {
            let ok = ciphertext.withUnsafeMutableBufferPointer {
                EVP_EncryptUpdate(context.pointer, $0.baseAddress, &written, plaintext, Int32(plaintext.count))
            }
            guard ok == 1 else { throw .operationFailed }
            total = Int(written)
        }
        let finished = ciphertext.withUnsafeMutableBufferPointer {
            EVP_EncryptFinal_ex(context.pointer, $0.baseAddress! + total, &written)
        }
        guard finished == 1 else { throw .operationFailed }
        total += Int(written)
        guard mlc_evp_gcm_get_tag(context.pointer, &tag, Int32(tagSize)) == 1 else { throw .operationFailed }
        return (Array(ciphertext[0..<total]), tag)
    }

    /// Decrypts and verifies; any mismatch of key, nonce, associated data, ciphertext or tag fails.
    public static func open(
        _ ciphertext: [UInt8], tag: [UInt8], key: [UInt8], nonce: [UInt8], associatedData: [UInt8]
    ) throws(CryptoError) -> [UInt8] {
        guard key.count == keySize, nonce.count == nonceSize else { throw .invalidKey }
        guard tag.count == tagSize else { throw .authenticationFailed }
        let context = try CipherContext()
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var written: Int32 = 0
        var total = 0
        var tagCopy = tag
        guard EVP_DecryptInit_ex(context.pointer, EVP_aes_256_gcm(), nil, nil, nil) == 1,
              mlc_evp_gcm_set_ivlen(context.pointer, Int32(nonceSize)) == 1,
              EVP_DecryptInit_ex(context.pointer, nil, nil, key, nonce) == 1
        else { throw .operationFailed }
        if !associatedData.isEmpty {
            guard EVP_DecryptUpdate(context.pointer, nil, &written, associatedData, Int32(associatedData.count)) == 1
            else { throw .operationFailed }
        }
        if !ciphertext.isEmpty {
            let ok = plaintext.withUnsafeMutableBufferPointer {
                EVP_DecryptUpdate(context.pointer, $0.baseAddress, &written, ciphertext, Int32(ciphertext.count))
            }
            guard ok == 1 else { throw .operationFailed }
            total = Int(written)
        }
        guard mlc_evp_gcm_set_tag(context.pointer, &tagCopy, Int32(tagSize)) == 1 else { throw .operationFailed }
        let verified = plaintext.withUnsafeMutableBufferPointer {
            EVP_DecryptFinal_ex(context.pointer, $0.baseAddress! + total, &written)
        }
        guard verified == 1 else {
            ERR_clear_error()
            throw .authenticationFailed
        }
        total += Int(written)
        return Array(plaintext[0..<total])
    }
}

/// Owns one `EVP_CIPHER_CTX`, freed in `deinit`.
private final class CipherContext {
    let pointer: OpaquePointer

    init() throws(CryptoError) {
        guard let pointer = EVP_CIPHER_CTX_new() else { throw .operationFailed }
        self.pointer = pointer
    }

    deinit { EVP_CIPHER_CTX_free(pointer) }
}
