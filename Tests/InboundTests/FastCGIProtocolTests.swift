@testable import Inbound
import Testing

/// The FastCGI record parser, name-value pairs and request assembly, without sockets (FastCGI 1.0 §§3–6).
@Suite("FastCGI protocol")
struct FastCGIProtocolTests {
    static func bytes(_ records: [FastCGIRecord]) -> [UInt8] {
        var output: [UInt8] = []
        for record in records { record.append(to: &output) }
        return output
    }

    static func begin(_ id: UInt16, role: UInt16 = 1, keep: Bool = true) -> FastCGIRecord {
        FastCGIRecord(kind: .beginRequest, requestID: id, content: [UInt8(role >> 8), UInt8(role & 0xff), keep ? 1 : 0, 0, 0, 0, 0, 0])
    }

    static func params(_ id: UInt16, _ variables: [(String, String)]) -> [FastCGIRecord] {
        [FastCGIRecord(kind: .params, requestID: id, content: FastCGINameValuePairs.encode(variables.map { (name: $0.0, value: $0.1) })),
         FastCGIRecord(kind: .params, requestID: id)]
    }

    /// Feeds records one byte at a time (every split of a header and content is met) and collects the steps.
    static func run(_ records: [FastCGIRecord], maxBodyBytes: Int = 1 << 20) throws -> [FastCGIRequestAssembler.Step] {
        var decoder = FastCGIRecordDecoder()
        var assembler = FastCGIRequestAssembler(maxBodyBytes: maxBodyBytes)
        var steps: [FastCGIRequestAssembler.Step] = []
        for byte in bytes(records) {
            decoder.append([byte])
            while let record = try decoder.next() {
                let step = try assembler.receive(record)
                if case .none = step { continue }
                steps.append(step)
            }
        }
        return steps
    }

    @Test("a record round-trips with padding; a stream is cut into records of at most 65535 bytes")
    func records() throws {
        var output: [UInt8] = []
        FastCGIRecord.appendStream(.stdout, requestID: 7, Array(repeating: 0x41, count: 70_000), to: &output)
        var decoder = FastCGIRecordDecoder()
        decoder.append(output)
        let first = try #require(try decoder.next()), second = try #require(try decoder.next()), end = try #require(try decoder.next())
        #expect(first.content.count == 65535 && second.content.count == 70_000 - 65535 && end.content.isEmpty)
        #expect([first.requestID, second.requestID, end.requestID] == [7, 7, 7])
        #expect(try decoder.next() == nil && !decoder.hasBufferedBytes)
        #expect(output.count % 8 == 0)
    }

    @Test("name-value pairs with 1- and 4-byte lengths; every truncation is an error, never a trap")
    func pairs() throws {
        let long = String(repeating: "v", count: 300)
        let encoded = FastCGINameValuePairs.encode([("A", "1"), ("HTTP_X", long), ("", "")])
        let decoded = try FastCGINameValuePairs.decode(encoded)
        #expect(decoded.map(\.name) == ["A", "HTTP_X", ""] && decoded[1].value == long)
        for cut in 1..<encoded.count where cut != 4 && cut != 4 + 1 + 4 + 6 + 300 {
            #expect(throws: FastCGIProtocolError.truncatedPair) { try FastCGINameValuePairs.decode(Array(encoded[0..<cut])) }
        }
        #expect(throws: FastCGIProtocolError.truncatedPair) { try FastCGINameValuePairs.decode([0xff, 0xff, 0xff, 0xff, 0]) }
    }

    @Test("params and stdin make the CGI request; bytes past CONTENT_LENGTH are dropped")
    func request() throws {
        let steps = try Self.run([Self.begin(1)] + Self.params(1, [("REQUEST_METHOD", "POST"), ("PATH_INFO", "/events/contoso"),
                                                                   ("QUERY_STRING", "code=k"), ("CONTENT_LENGTH", "5"),
                                                                   ("CONTENT_TYPE", "application/json"), ("HTTP_X_ONE", "1")])
            + [FastCGIRecord(kind: .stdin, requestID: 1, content: Array("{}".utf8)),
               FastCGIRecord(kind: .data, requestID: 1, content: [1]),
               FastCGIRecord(kind: .stdin, requestID: 1, content: Array("[]!!!".utf8)),
               FastCGIRecord(kind: .stdin, requestID: 1)])
        guard steps.count == 1, case .request(let request) = steps[0], case .success(let inbound) = request.read else {
            Issue.record("\(steps)")
            return
        }
        #expect(request.keepConnection && !request.closesConnection)
        #expect(inbound.method == "POST" && inbound.connectionName == "contoso" && inbound.queryValue("code") == "k")
        #expect(inbound.body == Array("{}[]!".utf8) && inbound.header("x-one") == "1" && inbound.mediaType == "application/json")
    }

    @Test("a body over the limit is answered at once and ends the connection; a short body is a 400")
    func bodyLimits() throws {
        let large = try Self.run([Self.begin(1)] + Self.params(1, [("REQUEST_METHOD", "POST"), ("CONTENT_LENGTH", "11")]),
                                 maxBodyBytes: 10)
        guard case .request(let refused) = large.first, case .success(let inbound) = refused.read else { Issue.record("\(large)"); return }
        #expect(inbound.bodyTooLarge && refused.bodyUnread && refused.closesConnection)

        let short = try Self.run([Self.begin(2, keep: false)] + Self.params(2, [("CONTENT_LENGTH", "3")])
            + [FastCGIRecord(kind: .stdin, requestID: 2, content: [1]), FastCGIRecord(kind: .stdin, requestID: 2)])
        guard case .request(let shortRequest) = short.first, case .failure(let failure) = shortRequest.read else { Issue.record("\(short)"); return }
        #expect(failure.status == 400 && shortRequest.closesConnection)

        let malformed = try Self.run([Self.begin(3)] + Self.params(3, [("CONTENT_LENGTH", "-1")]))
        guard case .request(let malformedRequest) = malformed.first, case .failure(let invalid) = malformedRequest.read else { return }
        #expect(invalid.status == 400 && malformedRequest.bodyUnread)
    }

    @Test("management records: GET_VALUES answers one connection, one request, no multiplexing; others are UNKNOWN_TYPE")
    func management() throws {
        let steps = try Self.run([
            FastCGIRecord(kind: .getValues, requestID: 0,
                          content: FastCGINameValuePairs.encode([("FCGI_MAX_CONNS", ""), ("FCGI_MPXS_CONNS", ""), ("OTHER", ""), ("FCGI_MAX_REQS", "")])),
            FastCGIRecord(kind: FastCGIRecord.Kind(rawValue: 42), requestID: 0, content: [9]),
        ])
        guard steps.count == 2, case .reply(let values, false) = steps[0], case .reply(let unknown, false) = steps[1] else {
            Issue.record("\(steps)")
            return
        }
        var decoder = FastCGIRecordDecoder()
        decoder.append(values + unknown)
        let result = try #require(try decoder.next())
        #expect(result.kind == .getValuesResult)
        let pairs = try FastCGINameValuePairs.decode(result.content)
        #expect(pairs.map { "\($0.name)=\($0.value)" } == ["FCGI_MAX_CONNS=1", "FCGI_MPXS_CONNS=0", "FCGI_MAX_REQS=1"])
        #expect(try decoder.next() == FastCGIRecord(kind: .unknownType, requestID: 0, content: [42, 0, 0, 0, 0, 0, 0, 0]))
    }

    @Test("other roles, a second request meanwhile and an abort get their FCGI_END_REQUEST")
    func endRequests() throws {
        func end(_ step: FastCGIRequestAssembler.Step) throws -> (FastCGIRecord, Bool) {
            guard case .reply(let bytes, let close) = step else { throw FastCGIProtocolError.truncatedPair }
            var decoder = FastCGIRecordDecoder()
            decoder.append(bytes)
            return (try #require(try decoder.next()), close)
        }
        let steps = try Self.run([Self.begin(1, role: 2, keep: false), Self.begin(2), Self.begin(3),
                                  FastCGIRecord(kind: .abortRequest, requestID: 2), FastCGIRecord(kind: .abortRequest, requestID: 9)])
        #expect(steps.count == 3)
        let (unknownRole, closeAfterRole) = try end(steps[0])
        #expect(unknownRole == FastCGIRecord.endRequest(1, .unknownRole) && closeAfterRole)
        #expect(try end(steps[1]).0 == FastCGIRecord.endRequest(3, .cannotMultiplex))
        #expect(try end(steps[2]) == (FastCGIRecord.endRequest(2, .requestComplete), false))
    }

    @Test("malformed input is an error, never a trap", arguments: [
        [UInt8]([2, 1, 0, 1, 0, 0, 0, 0]),                                   // version 2
        bytes([FastCGIRecord(kind: .beginRequest, requestID: 1, content: [0, 1])]),  // short BEGIN_REQUEST
        bytes([begin(1), begin(1)]),                                          // the same request begun twice
        bytes([begin(1), FastCGIRecord(kind: .stdin, requestID: 1, content: [1])]),  // stdin before params ended
        bytes([begin(1), FastCGIRecord(kind: .params, requestID: 1, content: [5, 0, 65]), FastCGIRecord(kind: .params, requestID: 1)]),
    ])
    func malformed(input: [UInt8]) {
        var decoder = FastCGIRecordDecoder()
        var assembler = FastCGIRequestAssembler()
        decoder.append(input)
        #expect(throws: FastCGIProtocolError.self) {
            while let record = try decoder.next() { _ = try assembler.receive(record) }
        }
    }

    @Test("params beyond the limit close the connection")
    func paramsLimit() {
        let chunk = FastCGIRecord(kind: .params, requestID: 1, content: Array(repeating: 0, count: 65535))
        #expect(throws: FastCGIProtocolError.paramsTooLarge) {
            _ = try Self.run([Self.begin(1)] + Array(repeating: chunk, count: 5))
        }
    }

    @Test("random bytes never trap the decoder or the assembler")
    func randomInput() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var input = Self.bytes([Self.begin(1)])
            input += (0..<Int.random(in: 0..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { input[8] = 1; input[0] = 1 }
            var decoder = FastCGIRecordDecoder()
            var assembler = FastCGIRequestAssembler()
            decoder.append(input)
            while let record = try? decoder.next() {
                guard (try? assembler.receive(record)) != nil else { break }
            }
        }
    }
}
