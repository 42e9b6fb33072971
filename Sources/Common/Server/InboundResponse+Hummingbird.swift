import HTTPTypes
import Hummingbird
import Inbound
import NIOCore

extension InboundResponse {
    /// The Hummingbird response carrying this status, these headers and this body (`Content-Length` is added).
    var hummingbird: Response {
        Response(status: hummingbirdStatus, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The response, after which the connection ends: its input is closed once the answer is written, so the rest of
    /// a refused body is never read (as in FastCGI, DESIGN.md §5.3) and the connection closes when the answer is out.
    func hummingbird(endingConnectionOf channel: any Channel) -> Response {
        var fields = fields
        fields[.connection] = "close"
        let bytes = ByteBuffer(bytes: body)
        return Response(status: hummingbirdStatus, headers: fields, body: ResponseBody(contentLength: bytes.readableBytes) { writer in
            try await writer.write(bytes)
            try await writer.finish(nil)
            channel.close(promise: nil)
        })
    }

    private var hummingbirdStatus: HTTPResponse.Status {
        HTTPResponse.Status(code: status, reasonPhrase: Self.reasonPhrase(status))
    }

    private var fields: HTTPFields {
        var fields = HTTPFields()
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return fields
    }
}
