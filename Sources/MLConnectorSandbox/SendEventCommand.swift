import ArgumentParser
import Foundation

/// `ml-connector-sandbox send-event`: POSTs a business event, as F&O's HTTPS endpoint would, and prints the answer.
struct SendEventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-event",
        abstract: "POST a business event (application/json) to a URL and print the status and body.",
        discussion: "Exits 0 when the answer is 2xx, 1 otherwise. Fixtures: \(SampleData.businessEventNames.joined(separator: ", "))."
    )

    @Option(help: "Where to POST, e.g. http://127.0.0.1:8080/business-events/default?code=<event key>.")
    var url: String

    @Option(help: "A sample event of the sandbox's Fixtures/business-events, by name.")
    var fixture: String?

    @Option(help: "A file holding the JSON body.")
    var file: String?

    func validate() throws {
        guard (fixture == nil) != (file == nil) else { throw ValidationError("give exactly one of --fixture and --file") }
        if let fixture, SampleData.businessEvent(named: fixture) == nil {
            throw ValidationError("unknown fixture '\(fixture)'; known: \(SampleData.businessEventNames.joined(separator: ", "))")
        }
    }

    func run() throws {
        let body: [UInt8]
        if let fixture, let bytes = SampleData.businessEvent(named: fixture) {
            body = bytes
        } else if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            body = Array(data)
        } else {
            throw ValidationError("give exactly one of --fixture and --file")
        }
        let response: LoopbackHTTPClient.Response
        do {
            response = try LoopbackHTTPClient().post(url, contentType: "application/json", body: body)
        } catch {
            FileHandle.standardError.write(Data("send-event: \(error)\n".utf8))
            throw ExitCode.failure
        }
        print("HTTP \(response.status)")
        print(String(decoding: response.body, as: UTF8.self))
        if !(200...299).contains(response.status) { throw ExitCode.failure }
    }
}
