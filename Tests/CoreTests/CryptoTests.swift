@testable import Core
import Foundation
import Testing

private func bytes(hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

@Suite("crypto over OpenSSL")
struct CryptoTests {
    @Test("Slack's published request-signing example")
    func slackSigningVector() {
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
        let mac = Digest.hmacSHA256(key: Array("8f742231b10e8888abcd99yyyzzz85a5".utf8),
                                    message: Array("v0:1531420618:\(body)".utf8))
        #expect("v0=" + Digest.hex(mac) == "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")
    }

    @Test("SHA-256 and HMAC-SHA256 published vectors")
    func digestVectors() {
        #expect(Digest.hex(Digest.sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.hex(Digest.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hex(Digest.sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        // RFC 4231 test case 2
        #expect(Digest.hex(Digest.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Digest.hmacSHA256(key: [], message: []).count == 32)
    }

    @Test("AES-256-GCM: the McGrew–Viega test case 16 vector")
    func gcmVector() throws {
        let key = bytes(hex: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
        let nonce = bytes(hex: "cafebabefacedbaddecaf888")
        let plaintext = bytes(hex: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let aad = bytes(hex: "feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let (ciphertext, tag) = try AESGCM.seal(plaintext, key: key, nonce: nonce, associatedData: aad)
        #expect(Digest.hex(ciphertext) == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
        #expect(Digest.hex(tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
        #expect(try AESGCM.open(ciphertext, tag: tag, key: key, nonce: nonce, associatedData: aad) == plaintext)

        var tampered = ciphertext
        tampered[3] ^= 1
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(tampered, tag: tag, key: key, nonce: nonce, associatedData: aad)
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(ciphertext, tag: tag, key: key, nonce: nonce, associatedData: aad + [0])
        }
        var otherKey = key
        otherKey[0] ^= 0x80
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(ciphertext, tag: tag, key: otherKey, nonce: nonce, associatedData: aad)
        }
    }

    @Test("SecretBox binds owner and field, rotates, and rejects tampering")
    func secretBox() throws {
        let old = try MasterKey(bytes: [UInt8](repeating: 1, count: 32))
        let new = try MasterKey(bytes: [UInt8](repeating: 2, count: 32))
        let sealed = try SecretBox(keys: MasterKeys(current: old)).seal("xoxb-secret", associatedData: "connection:1:slack_bot_token")
        #expect(!sealed.contains("xoxb"))
        #expect(sealed.hasPrefix("v1:\(old.id):"))
        #expect(try SecretBox(keys: MasterKeys(current: new, previous: old)).openString(sealed, associatedData: "connection:1:slack_bot_token") == "xoxb-secret")
        #expect(throws: CryptoError.unknownKey) {
            try SecretBox(keys: MasterKeys(current: new)).open(sealed, associatedData: "connection:1:slack_bot_token")
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try SecretBox(keys: MasterKeys(current: old)).open(sealed, associatedData: "connection:2:slack_bot_token")
        }
        var raw = Array(Data(base64Encoded: String(sealed.split(separator: ":")[2]))!)
        raw[raw.count - 1] ^= 1
        let tampered = "v1:\(old.id):" + Data(raw).base64EncodedString()
        #expect(throws: CryptoError.authenticationFailed) {
            try SecretBox(keys: MasterKeys(current: old)).open(tampered, associatedData: "connection:1:slack_bot_token")
        }
        #expect(throws: CryptoError.malformedSealedValue) {
            try SecretBox(keys: MasterKeys(current: old)).open("plaintext", associatedData: "x")
        }
        // Two seals of the same value differ (fresh nonce).
        let box = SecretBox(keys: MasterKeys(current: old))
        #expect(try box.seal("same", associatedData: "a") != box.seal("same", associatedData: "a"))
    }

    @Test("master key parsing wants base64 of exactly 32 bytes")
    func masterKeyParsing() throws {
        #expect(MasterKey(base64: Data(repeating: 9, count: 32).base64EncodedString()) != nil)
        #expect(MasterKey(base64: Data(repeating: 9, count: 31).base64EncodedString()) == nil)
        #expect(MasterKey(base64: Data(repeating: 9, count: 33).base64EncodedString()) == nil)
        #expect(MasterKey(base64: "not base64 !!") == nil)
        let error = #expect(throws: ConfigurationError.self) {
            try KeyedConfiguration.load(from: Environment(["MLC_DATABASE_URL": "x", "MLC_MASTER_KEY": "c2VjcmV0LXZhbHVl"]))
        }
        #expect(error?.variable == "MLC_MASTER_KEY")
        #expect(error?.description.contains("c2VjcmV0LXZhbHVl") == false)
        #expect(throws: ConfigurationError.missing("MLC_DATABASE_URL")) { try Configuration.load(from: Environment([:])) }
        // A malformed key that is set is an error also where no key is needed; a needed key must be there.
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(from: Environment(["MLC_DATABASE_URL": "x", "MLC_MASTER_KEY": "c2VjcmV0LXZhbHVl"]))
        }
        #expect(throws: ConfigurationError.missing("MLC_MASTER_KEY")) {
            try KeyedConfiguration.load(from: Environment(["MLC_DATABASE_URL": "x"]))
        }
        #expect(try Configuration.load(from: Environment(["MLC_DATABASE_URL": "x"])).masterKeys == nil)
        let good = Data(repeating: 9, count: 32).base64EncodedString()
        #expect(try KeyedConfiguration.load(from: Environment(["MLC_DATABASE_URL": "x", "MLC_MASTER_KEY": good])).masterKeys.previous == nil)
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(from: Environment(["MLC_DATABASE_URL": "x", "MLC_LOG_LEVEL": "loud"]))
        }
    }

    @Test("constant-time comparison, random bytes")
    func helpers() throws {
        #expect(Digest.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Digest.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Digest.constantTimeEqual([1, 2], [1, 2, 3]))
        #expect(try SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }
}
