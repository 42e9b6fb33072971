/// One FastCGI 1.0 record (the specification's §3.3): a type, the request it belongs to (0 for management
/// records) and at most 65535 bytes of content. Padding is read past and never kept.
public struct FastCGIRecord: Sendable, Equatable {
    /// The record types of the specification (§8); other values are unknown types.
    public struct Kind: RawRepresentable, Sendable, Equatable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let beginRequest = Kind(rawValue: 1)
        public static let abortRequest = Kind(rawValue: 2)
        public static let endRequest = Kind(rawValue: 3)
        public static let params = Kind(rawValue: 4)
        public static let stdin = Kind(rawValue: 5)
        public static let stdout = Kind(rawValue: 6)
        public static let stderr = Kind(rawValue: 7)
        public static let data = Kind(rawValue: 8)
        public static let getValues = Kind(rawValue: 9)
        public static let getValuesResult = Kind(rawValue: 10)
        public static let unknownType = Kind(rawValue: 11)
    }

    public let kind: Kind
    public let requestID: UInt16
    public let content: [UInt8]

    public init(kind: Kind, requestID: UInt16, content: [UInt8] = []) {
        self.kind = kind
        self.requestID = requestID
        self.content = content
    }

    /// The protocol version every record carries (`FCGI_VERSION_1`).
    public static let version: UInt8 = 1
    /// The fixed header: version, type, request id (2 bytes), content length (2 bytes), padding length, reserved.
    public static let headerBytes = 8
    public static let maxContentBytes = Int(UInt16.max)

    /// Roles of `FCGI_BEGIN_REQUEST` (§5); only the responder is served.
    public static let responderRole: UInt16 = 1
    /// `FCGI_KEEP_CONN`: the web server keeps the connection open after the request.
    public static let keepConnectionFlag: UInt8 = 1

    /// `protocolStatus` of `FCGI_END_REQUEST` (§5.5).
    public enum ProtocolStatus: UInt8, Sendable {
        case requestComplete = 0, cannotMultiplex = 1, overloaded = 2, unknownRole = 3
    }

    /// Appends this record's wire form, content padded to a multiple of 8 bytes as the specification recommends.
    /// `content` must be at most `maxContentBytes` (callers split longer streams, see `appendStream`).
    public func append(to output: inout [UInt8]) {
        precondition(content.count <= Self.maxContentBytes, "a FastCGI record holds at most 65535 bytes")
        let padding = (8 - content.count % 8) % 8
        output += [Self.version, kind.rawValue, UInt8(requestID >> 8), UInt8(requestID & 0xff),
                   UInt8(content.count >> 8), UInt8(content.count & 0xff), UInt8(padding), 0]
        output += content
        output += repeatElement(0, count: padding)
    }

    /// A stream (`FCGI_STDOUT`, `FCGI_PARAMS`, …): `bytes` in records of at most 65535 bytes, then the empty record
    /// that ends the stream.
    public static func appendStream(_ kind: Kind, requestID: UInt16, _ bytes: [UInt8], to output: inout [UInt8]) {
        var start = 0
        while start < bytes.count {
            let end = min(start + maxContentBytes, bytes.count)
            FastCGIRecord(kind: kind, requestID: requestID, content: Array(bytes[start..<end])).append(to: &output)
            start = end
        }
        FastCGIRecord(kind: kind, requestID: requestID).append(to: &output)
    }

    /// `FCGI_END_REQUEST` with application status 0.
    public static func endRequest(_ requestID: UInt16, _ status: ProtocolStatus) -> FastCGIRecord {
        FastCGIRecord(kind: .endRequest, requestID: requestID, content: [0, 0, 0, 0, status.rawValue, 0, 0, 0])
    }

    /// The whole answer to a request: the CGI-form response on `FCGI_STDOUT`, the empty `FCGI_STDOUT`, `FCGI_END_REQUEST`.
    public static func response(_ requestID: UInt16, stdout: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(stdout.count + stdout.count / maxContentBytes * 16 + 40)
        appendStream(.stdout, requestID: requestID, stdout, to: &output)
        endRequest(requestID, .requestComplete).append(to: &output)
        return output
    }
}
