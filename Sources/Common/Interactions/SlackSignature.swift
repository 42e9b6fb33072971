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

    /// Whether the headers prove the body came from Slack now. The timestamp is read with bounds (DESIGN.md §7
    /// Security): ASCII digits only, at most 10 of them, no sign — so no value can overflow the window arithmetic.
    public static func verify(body: [UInt8], timestamp: String?, signature: String?, secret: String, now: Int64) -> Bool {
        guard let timestamp, let seconds = seconds(timestamp), now.subtractingReportingOverflow(seconds).partialValue.magnitude
              <= UInt64(windowSeconds), let signature else { return false }
        return Digest.constantTimeEqual(Array(sign(body: body, timestamp: timestamp, secret: secret).utf8), Array(signature.utf8))
    }

    /// `X-Slack-Request-Timestamp` as seconds: 1 to 10 ASCII digits, nothing else.
    static func seconds(_ text: String) -> Int64? {
        let digits = Array(text.utf8)
        guard (1...10).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return digits.reduce(Int64(0)) { $0 * 10 + Int64($1 - UInt8(ascii: "0")) }
    }
}
