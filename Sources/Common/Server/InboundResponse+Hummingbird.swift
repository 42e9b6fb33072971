import HTTPTypes
import Hummingbird
import Inbound
import NIOCore

extension InboundResponse {
    /// The Hummingbird response carrying this status, these headers and this body (`Content-Length` is added).
    var hummingbird: Response {
        var fields = HTTPFields()
        for header in headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(status: HTTPResponse.Status(code: status, reasonPhrase: Self.reasonPhrase(status)), headers: fields,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
