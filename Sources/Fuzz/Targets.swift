import FoundationEssentials
import Core
import Domain
import Inbound
import Outbound
import Interactions

/// One fuzz target: a parser that sees outside input, fed the fuzzer's bytes. A target traps (`precondition`) only
/// when a property that must hold does not; everything else a parser may refuse.
struct FuzzTarget: Sendable {
    let name: String
    let run: @Sendable ([UInt8]) -> Void
}

/// Splits `bytes` at the first `\n`: (first line, rest).
private func firstLine(_ bytes: [UInt8]) -> (String, [UInt8]) {
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return (String(decoding: bytes, as: UTF8.self), []) }
    return (String(decoding: bytes[..<newline], as: UTF8.self), Array(bytes[(newline + 1)...]))
}

/// A fixed clock, so a run is reproducible.
private let now = Date(timeIntervalSince1970: 1_700_000_000)

enum FuzzTargets {
    static let all: [FuzzTarget] = [
        // Exact JSON: what parses serializes and parses back to the same value.
        FuzzTarget(name: "json") { bytes in
            guard let value = try? JSONParser.parse(bytes) else { return }
            let again = try? JSONParser.parse(value.serializedBytes())
            precondition(again == value, "JSON does not round-trip")
        },
        FuzzTarget(name: "business-event") { bytes in
            _ = try? BusinessEvent.parseBatch(bytes)
        },
        FuzzTarget(name: "form") { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            _ = FormURLEncoding.parse(text)
            _ = FormURLEncoding.parse(text.utf8.split(separator: UInt8(ascii: "\n")).first.map { String(decoding: $0, as: UTF8.self) } ?? "")
        },
        // CGI: `NAME=VALUE` lines (the environment), a blank line, then the body on stdin.
        FuzzTarget(name: "cgi") { bytes in
            var variables: [String: String] = [:]
            var rest = bytes[...]
            while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
                let line = rest[rest.startIndex..<newline]
                rest = rest[(newline + 1)...]
                if line.isEmpty { break }
                let text = String(decoding: line, as: UTF8.self)
                let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                variables[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            let io = RequestIO(environment: Environment(variables))
            _ = io.format
            guard case .success(let head) = CGIRequestHead.parse(variables, maxBodyBytes: 4096) else { return }
            precondition(head.contentLength >= 0 && head.bytesToRead <= max(head.contentLength, 0))
            let body = Array(rest.prefix(head.bytesToRead))
            if case .success(let request) = head.request(body: body) {
                _ = RequestIO.encodeCGI(.json(200, ["path": .string(request.path)]))
            }
        },
        FuzzTarget(name: "function-event") { bytes in
            if case .success(let request) = RequestIO.parseFunctionEvent(bytes, maxBodyBytes: 4096) {
                precondition(request.body.count <= 4096)
                _ = RequestIO.encodeFunctionEvent(InboundResponse(status: 200, headers: [], body: request.body))
            }
        },
        // FastCGI: the bytes of one connection, fed in two reads (the first byte says where the split is).
        FuzzTarget(name: "fastcgi") { bytes in
            guard let first = bytes.first else { return }
            let input = Array(bytes.dropFirst())
            let cut = input.isEmpty ? 0 : Int(first) % (input.count + 1)
            var decoder = FastCGIRecordDecoder()
            var assembler = FastCGIRequestAssembler(maxBodyBytes: 4096)
            for chunk in [input[..<cut], input[cut...]] {
                decoder.append(chunk)
                do {
                    while let record = try decoder.next() {
                        if case .request(let request) = try assembler.receive(record) {
                            if case .success(let inbound) = request.read { precondition(inbound.body.count <= 4096) }
                            assembler = FastCGIRequestAssembler(maxBodyBytes: 4096)
                        }
                    }
                } catch { return }
            }
        },
        // Slack interactions: the form body (or an Events API body) through the parsing done before any DB use.
        FuzzTarget(name: "interaction") { bytes in
            _ = try? SlackDelivery.parse(form: bytes)
            _ = try? SlackDelivery.parse(eventsAPI: bytes)
        },
        // `timestamp\nsignature\nbody`: never traps; a timestamp accepted with a forged signature is refused, and the
        // real signature of the same request is accepted iff the timestamp is 1–10 digits within the window.
        FuzzTarget(name: "slack-signature") { bytes in
            let (timestamp, afterTimestamp) = firstLine(bytes)
            let (signature, body) = firstLine(afterTimestamp)
            let secret = "8f742231b10e8888abcd99yyyzzz85a5"
            let clock: Int64 = 1_700_000_000
            let forged = SlackSignature.verify(body: body, timestamp: timestamp, signature: signature, secret: secret, now: clock)
            let real = SlackSignature.sign(body: body, timestamp: timestamp, secret: secret)
            precondition(!forged || signature == real, "forged signature accepted")
            let accepted = SlackSignature.verify(body: body, timestamp: timestamp, signature: real, secret: secret, now: clock)
            let digits = timestamp.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            let inWindow = digits && (1...10).contains(timestamp.utf8.count) && abs((Int64(timestamp) ?? .max / 2) - clock) <= 300
            precondition(accepted == inWindow, "signature acceptance disagrees with the timestamp rule")
            _ = SlackSignature.verify(body: body, timestamp: timestamp, signature: real, secret: secret, now: .min)
            _ = SlackSignature.verify(body: body, timestamp: timestamp, signature: real, secret: secret, now: .max)
        },
        // OData: an F&O JSON answer read by every template of the standard catalog, the dimension formats, and as
        // an error answer (F&O's `error.innererror.message`, the status classification, Retry-After).
        FuzzTarget(name: "odata") { bytes in
            if let json = try? JSONParser.parse(bytes) {
                for template in EventCatalog.standard.entries.flatMap(\.reads) + [EventCatalog.standard.dimensionFormats] {
                    _ = template.result(from: json)
                }
                _ = DimensionFormat.active(.defaultDimension, in: json)
                _ = DimensionFormat.active(.ledgerDimension, in: json)
                _ = json["error"]?["innererror"]?["message"]?.stringValue ?? json["error"]?["message"]?.stringValue
            }
            for status in [400, 429, 503] {
                let response = HTTPResponse(status: status, headers: [("retry-after", "120")], body: bytes)
                _ = PlatformError(answer: response, "fuzz", rateKey: "fuzz")
                _ = response.outcome(now: now)
            }
        },
        // `format\ndisplay value`.
        FuzzTarget(name: "dimension") { bytes in
            let (format, value) = firstLine(bytes)
            let segments = DimensionFormat(format).split(String(decoding: value, as: UTF8.self))
            precondition(segments.allSatisfy { !$0.value.isEmpty }, "empty segment returned")
        },
        FuzzTarget(name: "retry-after") { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            let delay = RetryAfter.delay(text, now: now)
            precondition(delay >= RetryAfter.minimumDelay && delay <= RetryAfter.maximumDelay, "delay outside its bounds")
            let response = HTTPResponse(status: 429, headers: [("retry-after", text)], body: [])
            _ = response.outcome(now: now)
        },
    ]
}
