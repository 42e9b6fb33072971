/// Cuts records out of the bytes read from one connection (FastCGI 1.0 §3.3), with no I/O of its own. Every
/// length comes from the input and is checked against what is buffered before it is used; a record is at most
/// 8 + 65535 + 255 bytes, so the buffer never holds more than one record plus one read.
public struct FastCGIRecordDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Whether bytes of a record not yet complete are buffered.
    public var hasBufferedBytes: Bool { start < buffer.count }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 1 << 16 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole record, or nil when more bytes are needed.
    public mutating func next() throws(FastCGIProtocolError) -> FastCGIRecord? {
        let available = buffer.count - start
        guard available >= FastCGIRecord.headerBytes else { return nil }
        guard buffer[start] == FastCGIRecord.version else { throw .unsupportedVersion }
        let kind = FastCGIRecord.Kind(rawValue: buffer[start + 1])
        let requestID = UInt16(buffer[start + 2]) << 8 | UInt16(buffer[start + 3])
        let contentLength = Int(buffer[start + 4]) << 8 | Int(buffer[start + 5])
        let paddingLength = Int(buffer[start + 6])
        let total = FastCGIRecord.headerBytes + contentLength + paddingLength
        guard available >= total else { return nil }
        let contentStart = start + FastCGIRecord.headerBytes
        let record = FastCGIRecord(kind: kind, requestID: requestID, content: Array(buffer[contentStart..<contentStart + contentLength]))
        start += total
        return record
    }
}
