import Foundation
import Server
import Testing

/// The deployment files of `ml-connector-server` (Azure Functions custom handler, the container image) parse and name
/// what the server serves and the binaries the package builds. No container engine or Functions host runs here.
@Suite struct DeploymentFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func json(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text(path).utf8)) as? [String: Any])
    }

    /// The executable products Package.swift declares.
    static func products() throws -> Set<String> {
        let package = try text("Package.swift")
        let pattern = try Regex(#"\.executable\(name: "([^"]+)""#)
        return Set(package.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) })
    }

    @Test func hostJSON() throws {
        let host = try Self.json("infra/azure-functions/host.json")
        let handler = try #require(host["customHandler"] as? [String: Any])
        #expect(handler["enableForwardingHttpRequest"] as? Bool == true)
        let executable = try #require((handler["description"] as? [String: Any])?["defaultExecutablePath"] as? String)
        #expect(try Self.products().contains(executable))
        #expect((host["extensionBundle"] as? [String: Any])?["id"] as? String == "Microsoft.Azure.Functions.ExtensionBundle")
    }

    /// Each function's route, under the host's `api` prefix, reaches the endpoint its folder is named after.
    @Test(arguments: ServerRoute.Endpoint.allCases)
    func functionJSON(endpoint: ServerRoute.Endpoint) throws {
        let function = try Self.json("infra/azure-functions/\(endpoint.rawValue)/function.json")
        let bindings = try #require(function["bindings"] as? [[String: Any]])
        let trigger = try #require(bindings.first { $0["type"] as? String == "httpTrigger" })
        #expect(trigger["authLevel"] as? String == "anonymous")
        #expect(trigger["methods"] as? [String] == ["post"])
        #expect(bindings.contains { $0["type"] as? String == "http" && $0["direction"] as? String == "out" })
        let route = try #require(trigger["route"] as? String)
        let prefix = try #require(((Self.json("infra/azure-functions/host.json")["extensions"] as? [String: Any])?["http"]
            as? [String: Any])?["routePrefix"] as? String)
        let path = "/\(prefix)/" + route.replacingOccurrences(of: "{connection?}", with: "contoso")
        #expect(ServerRoute(path: path) == .endpoint(endpoint, handlerPath: "/contoso"))
        let empty = "/\(prefix)/" + route.replacingOccurrences(of: "{connection?}", with: "")
        #expect(ServerRoute(path: empty) == .endpoint(endpoint, handlerPath: "/"))
    }

    @Test func containerfile() throws {
        let file = try Self.text("infra/container/Containerfile")
        let products = try Self.products()
        let entrypointLine = try #require(file.split(separator: "\n").first { $0.hasPrefix("ENTRYPOINT ") })
        let entrypoint = try #require(try JSONSerialization.jsonObject(with: Data(entrypointLine.dropFirst("ENTRYPOINT ".count).utf8)) as? [String])
        #expect(entrypoint.first == "/usr/local/bin/ml-connector-server")
        #expect(entrypoint.dropFirst().elementsEqual(["--host", "0.0.0.0"]))
        let copied = try #require(file.split(separator: "\n").first { $0.hasPrefix("COPY --from=build ") })
        let binaries = copied.split(separator: " ").dropFirst(2).dropLast().map { String($0.split(separator: "/").last ?? "") }
        #expect(!binaries.isEmpty)
        for binary in binaries { #expect(products.contains(binary), "\(binary) is not a product") }
        for product in binaries { #expect(file.contains("--product \(product)")) }
        #expect(file.contains("FROM debian:bookworm-slim"))
        #expect(file.contains("USER 10001"))
        #expect(file.contains("ENV PORT=8080"))
    }
}
