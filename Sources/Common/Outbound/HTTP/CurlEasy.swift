import CCurl
import Core
import Domain

/// Owns one libcurl easy handle. Not thread-safe: use it from one thread at a time (`HTTPClient` guards it with a
/// mutex). Options set with `set` apply to the next `perform`; `perform` resets the handle afterwards, which keeps
/// live connections and the DNS/TLS-session caches but forgets every option and pointer of that transfer.
final class CurlEasy {
    /// What a completed transfer produced.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]
    }

    /// `curl_global_init` must run once per process before any other libcurl call; a static `let` is initialised
    /// lazily and exactly once, thread-safely.
    private static let globalInitCode: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    private let handle: UnsafeMutableRawPointer

    init() throws(HTTPError) {
        let initCode = Self.globalInitCode
        guard initCode == CURLE_OK else { throw HTTPError(curlCode: initCode) }
        guard let handle = curl_easy_init() else { throw HTTPError(curlCode: CURLE_FAILED_INIT) }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Restores every option to its default; keeps live connections and caches.
    func reset() { curl_easy_reset(handle) }

    func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
        try check(mlc_curl_setopt_long(handle, option, value))
    }

    /// libcurl copies string options, so `value` need not outlive the call.
    func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
        try check(mlc_curl_setopt_string(handle, option, value))
    }

    /// Runs the configured transfer with `headerLines` (`Name: value`) and, if non-nil, `body` as the request body.
    /// The header list and a private copy of the body live exactly as long as this call. A body longer than
    /// `maxResponseBytes` aborts the transfer with `.responseTooLarge`.
    func perform(headerLines: [String], body: [UInt8]?, maxResponseBytes: Int) throws(HTTPError) -> Response {
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        let bodyCopy = body.map { bytes in
            let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            _ = copy.initialize(from: bytes)
            return (pointer: copy, count: bytes.count)
        }
        defer { bodyCopy?.pointer.deallocate() }
        defer { reset() }  // runs first: the handle drops its pointers to the list and the body before they are freed

        for line in headerLines {
            guard let appended = curl_slist_append(headerList, line) else { throw HTTPError(curlCode: CURLE_OUT_OF_MEMORY) }
            headerList = appended
        }
        try check(mlc_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        if let bodyCopy {
            try check(mlc_curl_setopt_offt(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyCopy.count)))
            try check(mlc_curl_setopt_ptr(handle, CURLOPT_POSTFIELDS, bodyCopy.pointer.baseAddress))
        }

        let sink = Sink(maxBodyBytes: maxResponseBytes)
        let userdata = Unmanaged.passUnretained(sink).toOpaque()
        try check(mlc_curl_setopt_header(handle) { data, size, count, userdata in
            let length = size * count
            let sink = Unmanaged<Sink>.fromOpaque(userdata!).takeUnretainedValue()
            sink.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
            return length
        })
        try check(mlc_curl_setopt_ptr(handle, CURLOPT_HEADERDATA, userdata))
        try check(mlc_curl_setopt_write(handle) { data, size, count, userdata in
            let length = size * count
            let sink = Unmanaged<Sink>.fromOpaque(userdata!).takeUnretainedValue()
            return sink.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        })
        try check(mlc_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, userdata))
        // Fails early when Content-Length is already too big; the write callback catches everything else.
        try check(mlc_curl_setopt_offt(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxResponseBytes)))

        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        if sink.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            throw HTTPError(.responseTooLarge, .permanent, curlCode: Int(code.rawValue),
                            detail: "limit \(maxResponseBytes) bytes")
        }
        guard code == CURLE_OK else { throw HTTPError(curlCode: code) }
        var status = 0
        try check(mlc_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return Response(status: status, headers: sink.headers, body: sink.body)
    }

    private func check(_ code: CURLcode) throws(HTTPError) {
        guard code == CURLE_OK else { throw HTTPError(curlCode: code) }
    }

    /// Collects one transfer's response; reached from the C callbacks through `Unmanaged` userdata.
    private final class Sink {
        let maxBodyBytes: Int
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        var exceededLimit = false

        init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

        /// Returns `false` (making libcurl abort) once the body would exceed the limit.
        func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
            guard body.count + bytes.count <= maxBodyBytes else {
                exceededLimit = true
                return false
            }
            body.append(contentsOf: bytes)
            return true
        }

        /// libcurl passes every header line of every response (interim 1xx ones too), status lines included.
        func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
            let line = String(decoding: bytes, as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                headers.removeAll()  // a new response starts: keep only the last one's headers
            } else if line.first == " " || line.first == "\t", let last = headers.popLast() {
                headers.append((last.name, last.value + " " + line.trimmingCharacters()))  // obsolete line folding
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((line[..<colon].trimmingCharacters().lowercased(), line[line.index(after: colon)...].trimmingCharacters()))
            }
        }
    }
}

@available(*, unavailable)
extension CurlEasy: Sendable {}

extension HTTPError {
    /// Maps a libcurl failure. The detail is libcurl's static message for the code, which never names the URL
    /// (unlike CURLOPT_ERRORBUFFER, which is deliberately not used).
    fileprivate init(curlCode code: CURLcode) {
        let kind: Code, classification: Classification
        switch code {
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            (kind, classification) = (.invalidURL, .permanent)
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            (kind, classification) = (.connectFailed, .retryable)
        case CURLE_OPERATION_TIMEDOUT:
            (kind, classification) = (.timeout, .retryable)
        case CURLE_SSL_CONNECT_ERROR:  // handshake failed, e.g. the connection was reset mid-handshake
            (kind, classification) = (.tls, .retryable)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            (kind, classification) = (.tls, .permanent)
        default:
            (kind, classification) = (.transport, .retryable)
        }
        self.init(kind, classification, curlCode: Int(code.rawValue), detail: String(cString: curl_easy_strerror(code)))
    }
}
