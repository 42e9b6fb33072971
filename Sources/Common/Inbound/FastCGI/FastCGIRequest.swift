/// A `FCGI_RESPONDER` request put together from its records: its params read as CGI variables, its `FCGI_STDIN`
/// as the body — or the answer it gets without being read further.
public struct FastCGIRequest: Sendable {
    public let requestID: UInt16
    /// `FCGI_KEEP_CONN` was set: the connection stays open after the answer.
    public let keepConnection: Bool
    /// The request for the handler, or what to answer instead (a malformed `CONTENT_LENGTH`, a body shorter than it).
    public let read: Result<InboundRequest, RequestReadFailure>
    /// Answered before its body was read (413, or a malformed `CONTENT_LENGTH`): the rest of the body is never read,
    /// so the connection ends after the answer whatever `keepConnection` says.
    public let bodyUnread: Bool

    /// Whether the connection is closed once this request is answered.
    public var closesConnection: Bool { !keepConnection || bodyUnread }
}
