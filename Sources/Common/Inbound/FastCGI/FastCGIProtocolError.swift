/// Input that is not FastCGI 1.0 as the specification writes it: the connection it came on is closed.
/// Never echoes the bytes it is about.
public struct FastCGIProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case unsupportedVersion = "unsupported version"
        case shortBeginRequest = "FCGI_BEGIN_REQUEST shorter than 8 bytes"
        case repeatedBeginRequest = "FCGI_BEGIN_REQUEST for the request in progress"
        case truncatedPair = "name-value pair longer than its record"
        case paramsTooLarge = "FCGI_PARAMS larger than the limit"
        case streamOutOfOrder = "FCGI_STDIN before the end of FCGI_PARAMS"
    }

    private let code: Code

    public static let unsupportedVersion = FastCGIProtocolError(code: .unsupportedVersion)
    public static let shortBeginRequest = FastCGIProtocolError(code: .shortBeginRequest)
    public static let repeatedBeginRequest = FastCGIProtocolError(code: .repeatedBeginRequest)
    public static let truncatedPair = FastCGIProtocolError(code: .truncatedPair)
    public static let paramsTooLarge = FastCGIProtocolError(code: .paramsTooLarge)
    public static let streamOutOfOrder = FastCGIProtocolError(code: .streamOutOfOrder)

    public var description: String { "FastCGI protocol error: \(code.rawValue)" }
}
