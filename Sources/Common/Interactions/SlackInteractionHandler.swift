import Glibc
public import Core
import Domain
public import Inbound
public import Outbound
public import Logging

/// Answers one Slack delivery to `handle-slack-interaction` (DESIGN.md §5.2, §2.2): the signature is checked over
/// the raw body before anything is parsed; a valid click by the assigned approver moves the approval from
/// `pending` to `deciding` and queues the write-back in one transaction; every other click gets an ephemeral
/// explanation and changes nothing. Reject, Request change and Delegate first open their modal (`views.open`,
/// synchronous: a comment, or the person to delegate to), whose submission decides.
public struct SlackInteractionHandler {
    private let database: any DatabaseSource
    private let box: SecretBox
    private let http: HTTPClient
    private let logger: Logger
    private let now: () -> Int64

    public init(box: SecretBox, logger: Logger, http: HTTPClient = HTTPClient(configuration: .init(connectTimeout: .seconds(1), totalTimeout: .seconds(2))),
                now: (() -> Int64)? = nil, database: any DatabaseSource) {
        self.box = box
        self.logger = logger
        self.http = http
        self.now = now ?? { Int64(time(nil)) }
        self.database = database
    }

    public func handle(_ request: InboundRequest) -> InboundResponse {
        HandlerChecks.serve(request, logger: logger, failure: "interaction failed", database: database) { name, db in
            let connection = try ConnectionStore(db).sealedSigningSecrets(connectionName: name)
            guard let connection, try verified(request, connection)
            else {
                // Before authentication: counted, not audited one row each (anyone can send these at any rate).
                try RefusalStore(db).count(connection: connection.map { _ in name }, handler: "slack-interaction", status: 401)
                logger.info("request refused", metadata: ["status": "401", "reason": "missing, wrong or stale Slack signature"])
                return .error(401, "unauthorized")
            }
            let context = InteractionContext(db: db, receipts: InteractionReceiptStore(db), approvals: ApprovalStore(db),
                                             connectionID: connection.connectionID, name: name, box: box, http: http, logger: logger)
            do {
                switch request.mediaType {
                case "application/json": return try context.answer(SlackDelivery.parse(eventsAPI: request.body))
                case "application/x-www-form-urlencoded": return try context.answer(SlackDelivery.parse(form: request.body))
                default: return .error(415, "content type must be application/x-www-form-urlencoded or application/json")
                }
            } catch let error as SlackDelivery.BadRequest {
                return .error(400, error.message)
            }
        }
    }

    /// Whether Slack signed the request with the connection's signing secret, or with the one being rotated out
    /// (accepted until the operator drops it). A secret is opened only to check a signature.
    private func verified(_ request: InboundRequest, _ connection: (connectionID: Int64, current: String, previous: String?))
        throws -> Bool {
        func verifies(_ sealed: String, _ field: ConnectionSecrets.Field) throws -> Bool {
            let secret = try box.openString(sealed, associatedData: ConnectionSecrets.associatedData(
                connectionID: connection.connectionID, field: field))
            return SlackSignature.verify(body: request.body, timestamp: request.header("x-slack-request-timestamp"),
                                         signature: request.header("x-slack-signature"), secret: secret, now: now())
        }
        if try verifies(connection.current, .slackSigningSecret) { return true }
        guard let previous = connection.previous, try verifies(previous, .slackSigningSecretPrevious) else { return false }
        logger.info("signed with the previous signing secret", metadata: [
            "hint": "Slack still signs with the old secret; drop it with connection update --drop-previous-signing-secret once Slack uses the new one"])
        return true
    }
}
