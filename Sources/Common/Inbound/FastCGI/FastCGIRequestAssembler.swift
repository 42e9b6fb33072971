/// The responder's side of one FastCGI connection, record by record, with no I/O of its own (FastCGI 1.0 §§4–6):
/// management records are answered (`FCGI_GET_VALUES`, otherwise `FCGI_UNKNOWN_TYPE`), one request at a time is
/// assembled (another `FCGI_BEGIN_REQUEST` meanwhile gets `FCGI_CANT_MPX_CONN`; roles other than the responder
/// `FCGI_UNKNOWN_ROLE`), `FCGI_ABORT_REQUEST` drops the request in progress, and records for requests that are not
/// active are ignored, as the specification says. The body is kept up to its `CONTENT_LENGTH`; a body over the
/// limit is never read (the request is handed on at once, answered 413, and ends the connection).
public struct FastCGIRequestAssembler: Sendable {
    /// What the connection does after a record.
    public enum Step: Sendable {
        /// Nothing yet: read on.
        case none
        /// Write these records; then close the connection when `thenClose`.
        case reply([UInt8], thenClose: Bool)
        /// A request to answer.
        case request(FastCGIRequest)
    }

    private enum Phase: Sendable {
        case idle
        case params(id: UInt16, keep: Bool, bytes: [UInt8])
        case stdin(id: UInt16, keep: Bool, head: CGIRequestHead, body: [UInt8])
    }

    /// Most bytes of `FCGI_PARAMS` one request may send (nginx sends a few KiB: the CGI variables and headers).
    public static let maxParamsBytes = 256 * 1024

    private let maxBodyBytes: Int
    private var phase = Phase.idle

    public init(maxBodyBytes: Int = InboundRequest.maxBodyBytes) { self.maxBodyBytes = maxBodyBytes }

    /// No request is in progress (between requests on a kept connection).
    public var isIdle: Bool {
        if case .idle = phase { return true }
        return false
    }

    public mutating func receive(_ record: FastCGIRecord) throws(FastCGIProtocolError) -> Step {
        if record.requestID == 0 { return try management(record) }
        switch record.kind {
        case .beginRequest: return try begin(record)
        case .abortRequest: return abort(record)
        case .params: return try params(record)
        case .stdin: return try stdin(record)
        default: return .none // FCGI_DATA (filters only) and what a web server never sends
        }
    }

    /// The values this responder reports: one connection, one request, no multiplexing.
    static let values = ["FCGI_MAX_CONNS": "1", "FCGI_MAX_REQS": "1", "FCGI_MPXS_CONNS": "0"]

    private func management(_ record: FastCGIRecord) throws(FastCGIProtocolError) -> Step {
        var output: [UInt8] = []
        if record.kind == .getValues {
            let asked = try FastCGINameValuePairs.decode(record.content)
            let known = asked.compactMap { pair in Self.values[pair.name].map { (name: pair.name, value: $0) } }
            FastCGIRecord(kind: .getValuesResult, requestID: 0, content: FastCGINameValuePairs.encode(known)).append(to: &output)
        } else {
            FastCGIRecord(kind: .unknownType, requestID: 0, content: [record.kind.rawValue, 0, 0, 0, 0, 0, 0, 0]).append(to: &output)
        }
        return .reply(output, thenClose: false)
    }

    private var activeID: UInt16? {
        switch phase {
        case .idle: nil
        case .params(let id, _, _), .stdin(let id, _, _, _): id
        }
    }

    private mutating func begin(_ record: FastCGIRecord) throws(FastCGIProtocolError) -> Step {
        guard record.content.count >= 8 else { throw .shortBeginRequest }
        if let active = activeID {
            guard active != record.requestID else { throw .repeatedBeginRequest }
            return end(record.requestID, .cannotMultiplex, thenClose: false)
        }
        let role = UInt16(record.content[0]) << 8 | UInt16(record.content[1])
        let keep = record.content[2] & FastCGIRecord.keepConnectionFlag != 0
        guard role == FastCGIRecord.responderRole else { return end(record.requestID, .unknownRole, thenClose: !keep) }
        phase = .params(id: record.requestID, keep: keep, bytes: [])
        return .none
    }

    private mutating func abort(_ record: FastCGIRecord) -> Step {
        guard let keep = keepOfActive(record.requestID) else { return .none }
        phase = .idle
        return end(record.requestID, .requestComplete, thenClose: !keep)
    }

    /// `FCGI_KEEP_CONN` of the request in progress when it is `id`.
    private func keepOfActive(_ id: UInt16) -> Bool? {
        switch phase {
        case .params(id, let keep, _), .stdin(id, let keep, _, _): keep
        default: nil
        }
    }

    private mutating func params(_ record: FastCGIRecord) throws(FastCGIProtocolError) -> Step {
        guard case .params(record.requestID, let keep, var bytes) = phase else { return .none }
        guard !record.content.isEmpty else { return try paramsComplete(id: record.requestID, keep: keep, bytes) }
        guard record.content.count <= Self.maxParamsBytes - bytes.count else { throw .paramsTooLarge }
        phase = .idle // the array is uniquely referenced while it grows
        bytes += record.content
        phase = .params(id: record.requestID, keep: keep, bytes: bytes)
        return .none
    }

    private mutating func paramsComplete(id: UInt16, keep: Bool, _ bytes: [UInt8]) throws(FastCGIProtocolError) -> Step {
        var variables: [String: String] = [:]
        for pair in try FastCGINameValuePairs.decode(bytes) { variables[pair.name] = pair.value }
        switch CGIRequestHead.parse(variables, maxBodyBytes: maxBodyBytes) {
        case .failure(let failure):
            phase = .idle
            return .request(FastCGIRequest(requestID: id, keepConnection: keep, read: .failure(failure), bodyUnread: true))
        case .success(let head) where head.bodyTooLarge:
            phase = .idle
            return .request(FastCGIRequest(requestID: id, keepConnection: keep, read: head.request(body: []), bodyUnread: true))
        case .success(let head):
            var body: [UInt8] = []
            body.reserveCapacity(head.bytesToRead)
            phase = .stdin(id: id, keep: keep, head: head, body: body)
            return .none
        }
    }

    private mutating func stdin(_ record: FastCGIRecord) throws(FastCGIProtocolError) -> Step {
        switch phase {
        case .params(record.requestID, _, _): throw .streamOutOfOrder
        case .stdin(record.requestID, let keep, let head, var body):
            if record.content.isEmpty {
                phase = .idle
                return .request(FastCGIRequest(requestID: record.requestID, keepConnection: keep, read: head.request(body: body),
                                               bodyUnread: false))
            }
            // Bytes past CONTENT_LENGTH are read and dropped, as a CGI program reads exactly CONTENT_LENGTH.
            let wanted = min(record.content.count, head.bytesToRead - body.count)
            guard wanted > 0 else { return .none }
            phase = .idle // the array is uniquely referenced while it grows
            body += record.content[0..<wanted]
            phase = .stdin(id: record.requestID, keep: keep, head: head, body: body)
            return .none
        default: return .none
        }
    }

    private func end(_ id: UInt16, _ status: FastCGIRecord.ProtocolStatus, thenClose: Bool) -> Step {
        var output: [UInt8] = []
        FastCGIRecord.endRequest(id, status).append(to: &output)
        return .reply(output, thenClose: thenClose)
    }
}
