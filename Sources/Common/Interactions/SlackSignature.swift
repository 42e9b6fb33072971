import Core
import Domain
import Inbound
import Outbound

/// Slack's request signing, `v0` scheme (slack.md §1): HMAC-SHA256 of `v0:<timestamp>:<raw body>` under the
/// app's signing secret, compared in constant time, within five minutes of now.
public enum SlackSignature {
    public static let windowSeconds: Int64 = 300

    public static func sign(body: [UInt8], timestamp: String, secret: String) -> String {
        "v0=" + Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: Array("v0:\(timestamp):".utf8) + body))
    }

    /// Whether the headers prove the body came from Slack now.
    public static func verify(body: [UInt8], timestamp: String?, signature: String?, secret: String, now: Int64) -> Bool {
        guard let timestamp, let seconds = Int64(timestamp), abs(now - seconds) <= windowSeconds,
              let signature else { return false }
        return Digest.constantTimeEqual(Array(sign(body: body, timestamp: timestamp, secret: secret).utf8), Array(signature.utf8))
    }
}
