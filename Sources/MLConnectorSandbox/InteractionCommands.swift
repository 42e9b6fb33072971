import ArgumentParser
import Core
import Domain
import Outbound
import Interactions
import Foundation

/// `ml-connector-sandbox click`: has a running sandbox click a button of a card it received, as Slack would — a
/// signed `block_actions` POSTed to the interaction handler — and prints the handler's answer.
struct ClickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "click",
        abstract: "Click a button (Approve, Reject, Request change, Delegate) on a card the sandbox received: POST the signed interaction to a URL.",
        discussion: """
            Calls POST <sandbox>/_sandbox/interactions. With --url, prints the handler's status and body and exits 0
            when it is 2xx, 1 otherwise; without, prints the signed request (headers and body) to send yourself.
            GET <sandbox>/_sandbox/messages lists the channels and ts of the cards.
            """
    )

    @Option(help: "The running sandbox, e.g. http://127.0.0.1:8090.")
    var sandbox: String

    @Option(help: "The conversation of the card: a channel id, a DM id such as D04ALICIADM, or a user id (that user's DM).")
    var channel: String

    @Option(help: "The ts of the card (its latest version is clicked).")
    var ts: String

    @Option(help: "approve, reject, request_change, delegate, or any button's action_id.")
    var action: String

    @Option(help: "The Slack user who clicks (default: the owner of the DM).")
    var user: String?

    @Option(help: "Seconds added to the signing timestamp (e.g. -600 for a stale request).")
    var timestampOffset = 0

    @Option(help: "Where to POST the interaction, e.g. http://127.0.0.1:8080/slack/interactions/default.")
    var url: String?

    var actionID: String {
        ApprovalDecision(rawValue: action.lowercased()).map(ApprovalButtons.actionID(for:)) ?? action
    }

    func run() throws {
        var parameters: JSONObject = ["channel": .string(channel), "ts": .string(ts), "action_id": .string(actionID)]
        if let user { parameters["user"] = .string(user) }
        if timestampOffset != 0 { parameters["timestamp_offset"] = .number(String(timestampOffset)) }
        if let url { parameters["url"] = .string(url) }
        try InteractionRequest.send(parameters, to: sandbox, path: "/_sandbox/interactions", command: "click")
    }
}

/// `ml-connector-sandbox submit`: has a running sandbox submit a modal it opened (the reject reason), as Slack would.
struct SubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a modal the sandbox opened (views.open): POST the signed view_submission to a URL.",
        discussion: "Calls POST <sandbox>/_sandbox/interactions/submission; prints as click does."
    )

    @Option(help: "The running sandbox, e.g. http://127.0.0.1:8090.")
    var sandbox: String

    @Option(help: "The id views.open returned (default: the latest view opened).")
    var viewID: String?

    @Option(help: "The text typed into the view's first input block (for a user picker, the user id chosen, e.g. U05JULIA).")
    var text: String?

    @Option(help: "The Slack user who submits (default: the user whose click opened the view).")
    var user: String?

    @Option(help: "Seconds added to the signing timestamp.")
    var timestampOffset = 0

    @Option(help: "Where to POST the submission.")
    var url: String?

    func run() throws {
        var parameters: JSONObject = [:]
        if let viewID { parameters["view_id"] = .string(viewID) }
        if let text { parameters["text"] = .string(text) }
        if let user { parameters["user"] = .string(user) }
        if timestampOffset != 0 { parameters["timestamp_offset"] = .number(String(timestampOffset)) }
        if let url { parameters["url"] = .string(url) }
        try InteractionRequest.send(parameters, to: sandbox, path: "/_sandbox/interactions/submission", command: "submit")
    }
}

enum InteractionRequest {
    /// POSTs `parameters` to the sandbox's control API and prints the outcome (see `ClickCommand`).
    static func send(_ parameters: JSONObject, to sandbox: String, path: String, command: String) throws {
        let base = sandbox.hasSuffix("/") ? String(sandbox.dropLast()) : sandbox
        let response: LoopbackHTTPClient.Response
        do {
            response = try LoopbackHTTPClient().post(base + path, contentType: "application/json",
                                                     body: JSONValue.object(parameters).serializedBytes())
        } catch {
            FileHandle.standardError.write(Data("\(command): \(error)\n".utf8))
            throw ExitCode.failure
        }
        let answer = (try? JSONParser.parse(response.body))?.objectValue
        guard response.status == 200, let answer else {
            let detail = answer?["error"]?.stringValue ?? String(decoding: response.body, as: UTF8.self)
            FileHandle.standardError.write(Data("\(command): the sandbox answered HTTP \(response.status): \(detail)\n".utf8))
            throw ExitCode.failure
        }
        guard let status = answer["status"]?.intValue else {
            // No URL: the signed request, for a person to send with curl.
            for (name, value) in answer["headers"]?.objectValue?.members ?? [] { print("\(name): \(value.stringValue ?? "")") }
            print("")
            print(answer["body"]?.stringValue ?? "")
            return
        }
        print("HTTP \(status)")
        print(answer["response_body"]?.stringValue ?? "")
        if !(200...299).contains(status) { throw ExitCode.failure }
    }
}
