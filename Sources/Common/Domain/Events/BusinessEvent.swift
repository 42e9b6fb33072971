public import Core

/// One validated F&O business event: the common envelope, read with case-insensitive field names, plus the
/// whole payload as received.
public struct BusinessEvent: Sendable {
    public let businessEventID: String
    public let eventID: String
    public let controlNumber: Int64
    /// `BusinessEventLegalEntity` (or `LegalEntity`), lower-cased; empty when absent.
    public let legalEntity: String
    public let eventTime: FOTimestamp?
    public let payload: JSONObject

    /// The test event F&O sends when an endpoint is configured.
    public static let endpointTestID = "BusinessEventsTestEndpointContract"

    public var isEndpointTest: Bool { businessEventID.lowercased() == Self.endpointTestID.lowercased() }

    /// A field of the payload by case-insensitive name.
    public func field(_ name: String) -> JSONValue? { payload.value(forCaseInsensitiveKey: name) }

    /// Validates one event object.
    public static func parse(_ value: JSONValue) throws(EventValidationError) -> BusinessEvent {
        guard let object = value.objectValue else { throw EventValidationError("an event must be a JSON object") }
        // PostgreSQL cannot store U+0000 in text or jsonb, and a C string would be cut at it (two different EventIds
        // could then look alike): refused here, so F&O is told 400 and does not retry an event that can never be stored.
        if value.containsNUL { throw EventValidationError("a string holds U+0000, which cannot be stored") }
        func requiredString(_ name: String) throws(EventValidationError) -> String {
            guard let field = object.value(forCaseInsensitiveKey: name) else { throw EventValidationError("missing \(name)") }
            guard let text = field.stringValue, !text.isEmpty else { throw EventValidationError("\(name) must be a non-empty string") }
            return text
        }
        let businessEventID = try requiredString("BusinessEventId")
        let eventID = try requiredString("EventId")
        guard let controlField = object.value(forCaseInsensitiveKey: "ControlNumber") else {
            throw EventValidationError("missing ControlNumber")
        }
        guard let controlNumber = controlField.int64Value else {
            throw EventValidationError("ControlNumber must be a whole number")
        }
        var legalEntity = ""
        for name in ["BusinessEventLegalEntity", "LegalEntity"] {
            if let text = object.value(forCaseInsensitiveKey: name)?.stringValue, !text.isEmpty {
                legalEntity = text.lowercased()
                break
            }
        }
        var eventTime: FOTimestamp?
        for name in ["EventTimeIso8601", "EventTime"] {
            guard let field = object.value(forCaseInsensitiveKey: name), field != .null else { continue }
            guard let text = field.stringValue, let time = FOTimestamp(text) else {
                throw EventValidationError("\(name) is not a valid date")
            }
            eventTime = eventTime ?? time
        }
        return BusinessEvent(businessEventID: businessEventID, eventID: eventID, controlNumber: controlNumber,
                             legalEntity: legalEntity, eventTime: eventTime, payload: object)
    }

    /// One object or an array of objects; all or nothing.
    public static func parseBatch(_ body: [UInt8]) throws(EventValidationError) -> [BusinessEvent] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(body)
        } catch {
            throw EventValidationError("malformed JSON: \(error.description)")
        }
        if let array = value.arrayValue {
            guard !array.isEmpty else { throw EventValidationError("empty event array") }
            var events: [BusinessEvent] = []
            for (index, element) in array.enumerated() {
                do {
                    events.append(try parse(element))
                } catch {
                    throw EventValidationError("event \(index): \(error.message)")
                }
            }
            return events
        }
        return [try parse(value)]
    }
}

/// Why an event body was refused (answered with 400). Never contains the body.
public struct EventValidationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
