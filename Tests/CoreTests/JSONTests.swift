import Core
import Foundation
import Testing

private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try JSONParser.parse(text.utf8)
}

/// The error for `bytes`, or nil when they parse.
private func parseError(_ bytes: [UInt8]) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes)
        return nil
    } catch {
        return error
    }
}

private func parseError(_ text: String) -> JSONParseError? {
    parseError(Array(text.utf8))
}

// Verbatim copy of the fixture business-events/purchase-order-confirmed.json.
private let purchaseOrderConfirmed = """
    {
      "BusinessEventId": "PurchaseOrderConfirmedBusinessEvent",
      "BusinessEventLegalEntity": "usmf",
      "ContextRecordSubject": "",
      "ControlNumber": 5637145326,
      "EventId": "4C1F2A7E-1B2D-4E8F-9A51-0D2C6B7E3F10",
      "EventTime": "/Date(1764403200000)/",
      "EventTimeIso8601": "2025-11-29T08:00:00.0000000Z",
      "InitiatingUserAADObjectId": "{5B7C2E11-0A4D-4C53-8F0E-2A1B3C4D5E6F}",
      "LegalEntity": "usmf",
      "MajorVersion": 0,
      "MinorVersion": 0,
      "ParentContextRecordSubjects": [],
      "PurchaseJournal": "USMF-000142-1",
      "PurchaseOrderDate": "/Date(1764374400000)/",
      "PurchaseOrderNumber": "USMF-000142",
      "PurchaseType": "Purch",
      "TransactionCurrencyAmount": 48250.75,
      "TransactionCurrencyCode": "USD",
      "VendorAccount": "US-104"
    }

    """

// Verbatim copy of the fixture business-events/endpoint-test.json.
private let endpointTest = """
    {
      "BusinessEventId": "BusinessEventsTestEndpointContract",
      "BusinessEventLegalEntity": "",
      "ControlNumber": -9223372036854775808,
      "EventId": "00000000-0000-0000-0000-000000000000"
    }

    """

@Suite struct JSONParsingTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"n":null,"t":true,"f":false,"i":-12,"d":1.5e-3,"s":"hi","a":[1,[]],"o":{}} "#)
        let expected: JSONValue = [
            "n": nil, "t": true, "f": false, "i": .number("-12"), "d": .number("1.5e-3"),
            "s": "hi", "a": [1, []], "o": [:],
        ]
        #expect(value == expected)
        #expect(value["n"]?.isNull == true)
        #expect(value["t"]?.boolValue == true)
        #expect(value["f"]?.boolValue == false)
        #expect(value["s"]?.stringValue == "hi")
        #expect(value["a"]?.arrayValue?.count == 2)
        #expect(value["o"]?.objectValue?.isEmpty == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.boolValue == nil)
        #expect(JSONValue.string("x")["s"] == nil)
    }

    @Test(arguments: ["null", "true", "false", "0", "-0", "\"\"", "[]", "{}", "1E+2", "0.5e-0"])
    func parsesScalarsAtTopLevel(text: String) throws {
        #expect(try parse(text).serialized() == text)
    }

    @Test func keepsNumberTextExactly() throws {
        let value = try parse(#"[48250.75, 12500.00, 12345678901234567.89, 1e3, -0.5, 0.1, 1E+2]"#)
        let texts = value.arrayValue?.map { element -> String? in
            if case .number(let text) = element { text } else { nil }
        }
        #expect(texts == ["48250.75", "12500.00", "12345678901234567.89", "1e3", "-0.5", "0.1", "1E+2"])
    }

    @Test func skipsLeadingByteOrderMark() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [1])
    }

    @Test func acceptsDataAndNonContiguousCollections() throws {
        #expect(try JSONParser.parse(Data("{\"a\":1}".utf8)) == ["a": 1])
        #expect(try JSONParser.parse("[true]".utf8.reversed().reversed()) == [true])
    }

    @Test func duplicateKeysKeepLastValueAtFirstPosition() throws {
        let object = try #require(try parse(#"{"a":1,"b":2,"a":3}"#).objectValue)
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test func duplicateKeysInLargeObjects() throws {
        let members = (0..<100).map { #""k\#($0)":\#($0)"# } + [#""k7":"last""#]
        let object = try #require(try parse("{" + members.joined(separator: ",") + "}").objectValue)
        #expect(object.count == 100)
        #expect(object.keys.first == "k0")
        #expect(object["k7"] == "last")
        #expect(Array(object.keys.prefix(8)) == (0..<8).map { "k\($0)" })
    }

    @Test func parsesPurchaseOrderFixture() throws {
        let event = try parse(purchaseOrderConfirmed)
        let object = try #require(event.objectValue)
        #expect(object.count == 19)
        #expect(object.keys.first == "BusinessEventId")
        #expect(object.keys.last == "VendorAccount")
        #expect(event["BusinessEventId"]?.stringValue == "PurchaseOrderConfirmedBusinessEvent")
        #expect(event["ControlNumber"]?.int64Value == 5_637_145_326)
        #expect(event["TransactionCurrencyAmount"]?.decimalValue == Decimal(string: "48250.75"))
        #expect(event["TransactionCurrencyAmount"] == .number("48250.75"))
        #expect(event["ParentContextRecordSubjects"] == [])
        #expect(event["EventTime"]?.stringValue == "/Date(1764403200000)/")
        #expect(event.value(forCaseInsensitiveKey: "transactioncurrencycode")?.stringValue == "USD")
        #expect(try parse(event.serialized()) == event)
    }

    @Test func parsesEndpointTestFixture() throws {
        let event = try parse(endpointTest)
        #expect(event["ControlNumber"]?.int64Value == Int64.min)
        #expect(event["BusinessEventLegalEntity"]?.stringValue == "")
    }

    /// The sandbox's copy of the sample data and, when the checkout has it beside it, the design's `../shared/fixtures`.
    static let fixtureFolders: [URL] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [root.appendingPathComponent("Sources/MLConnectorSandbox/Fixtures"),
                root.deletingLastPathComponent().appendingPathComponent("shared/fixtures")]
            .filter { FileManager.default.fileExists(atPath: $0.path) }
    }()

    @Test("every JSON fixture parses and round-trips", arguments: fixtureFolders)
    func parsesAndRoundTripsAllJSONFixtures(folder: URL) throws {
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }
            .filter { $0.pathExtension == "json" }
        #expect(!files.isEmpty)
        for file in files {
            let value = try JSONParser.parse(Data(contentsOf: file))
            #expect(try parse(value.serialized()) == value, "\(file.lastPathComponent)")
        }
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONParser.maxDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try parse(text).serialized() == text)
    }
}

@Suite struct JSONNumberTests {
    @Test func exactDecimals() throws {
        #expect(JSONValue.number("48250.75").decimalValue == Decimal(4_825_075) / 100)
        #expect(JSONValue.number("12500.00").decimalValue == Decimal(12500))
        #expect(JSONValue.number("1e3").decimalValue == Decimal(1000))
        #expect(JSONValue.number("-0.5").decimalValue == Decimal(-5) / 10)
        #expect(JSONValue.number("0.1").decimalValue == Decimal(1) / 10)
        #expect(JSONValue.number("-0").decimalValue == Decimal.zero)
        #expect(JSONValue.number("0.000").decimalValue == Decimal.zero)
        let big = try #require(JSONValue.number("12345678901234567.89").decimalValue)
        #expect(big.significand == Decimal(string: "1234567890123456789"))
        #expect(big.exponent == -2)
        #expect(big.description == "12345678901234567.89")
    }

    @Test func decimalEdgesOfRange() throws {
        let maxDigits = String(repeating: "9", count: 38)
        #expect(JSONValue.number(maxDigits).decimalValue?.description == maxDigits)
        #expect(JSONValue.number(maxDigits + "9").decimalValue == nil)  // 39 significant digits
        #expect(JSONValue.number(maxDigits + "0").decimalValue == Decimal(string: maxDigits + "0"))
        #expect(JSONValue.number("1e127").decimalValue?.exponent == 127)
        #expect(JSONValue.number("1e130").decimalValue == Decimal(string: "1000e127"))
        #expect(JSONValue.number("1e-128").decimalValue?.exponent == -128)
        #expect(JSONValue.number("1e-129").decimalValue == nil)
        #expect(JSONValue.number("1e999999999999999999999").decimalValue == nil)
        #expect(JSONValue.number("0e999999999999999999999").decimalValue == Decimal.zero)
    }

    @Test func decimalFromStrings() {
        #expect(JSONValue.string("12500.00").decimalValue == Decimal(12500))
        #expect(JSONValue.string("-48250.75").decimalValue == Decimal(-4_825_075) / 100)
        for text in ["", "-", "1.", ".5", "01", "+1", " 1", "1 ", "1e3", "1,5", "abc", "NaN"] {
            #expect(JSONValue.string(text).decimalValue == nil, "\(text)")
        }
        #expect(JSONValue.bool(true).decimalValue == nil)
        #expect(JSONValue.null.decimalValue == nil)
    }

    @Test func int64Bounds() {
        #expect(JSONValue.number("9223372036854775807").int64Value == Int64.max)
        #expect(JSONValue.number("-9223372036854775808").int64Value == Int64.min)
        #expect(JSONValue.number("9223372036854775808").int64Value == nil)
        #expect(JSONValue.number("-9223372036854775809").int64Value == nil)
        #expect(JSONValue.number("99999999999999999999999").int64Value == nil)
        #expect(JSONValue.number("-0").int64Value == 0)
        #expect(JSONValue.number("42").int64Value == 42)
        #expect(JSONValue.number("1.5").int64Value == nil)
        #expect(JSONValue.number("1.0").int64Value == nil)
        #expect(JSONValue.number("1e3").int64Value == nil)
    }

    @Test func int64FromStrings() {
        #expect(JSONValue.string("5637145326").int64Value == 5_637_145_326)
        #expect(JSONValue.string("-9223372036854775808").int64Value == Int64.min)
        #expect(JSONValue.string("000231").int64Value == 231)
        for text in ["", "-", "+1", "1.0", " 1", "1a", "--1", "9223372036854775808"] {
            #expect(JSONValue.string(text).int64Value == nil, "\(text)")
        }
        #expect(JSONValue.bool(false).int64Value == nil)
    }
}

@Suite struct JSONObjectTests {
    @Test func caseInsensitiveLookupReturnsFirstMatch() throws {
        let value = try parse(#"{"EventId":"a","eventid":"b","Amount":1}"#)
        #expect(value.value(forCaseInsensitiveKey: "EVENTID")?.stringValue == "a")
        #expect(value.value(forCaseInsensitiveKey: "amount") == 1)
        #expect(value.value(forCaseInsensitiveKey: "amoun") == nil)
        #expect(value["eventId"] == nil)
        #expect(value["eventid"] == "b")
        // Only ASCII letters fold; other characters must match exactly.
        #expect(JSONValue(dictionaryLiteral: ("Ä", 1)).value(forCaseInsensitiveKey: "ä") == nil)
    }

    @Test func subscriptSetReplacesAppendsAndRemoves() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "x"
        object["c"] = true
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["a"] == "x")
        object["b"] = nil
        object["missing"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.count == 2)
        #expect(object.map(\.key) == ["a", "c"])
        #expect(JSONObject().isEmpty)
    }

    @Test func equalityIsOrderSensitive() {
        let ab: JSONObject = ["a": 1, "b": 2]
        #expect(ab == ["a": 1, "b": 2])
        #expect(ab != ["b": 2, "a": 1])
        #expect(ab != ["a": 1])
    }

    @Test func literalsWithDuplicateKeysKeepLast() {
        let value: JSONValue = ["k": 1, "j": 2, "k": 3]
        #expect(value.objectValue?.keys == ["k", "j"])
        #expect(value["k"] == 3)
    }
}

@Suite struct JSONSerializationTests {
    @Test func nestedValueSerializesCompactlyInOrder() {
        let value: JSONValue = [
            "z": [1, .number("-0.5"), .number("12500.00"), nil, true, false],
            "a": ["nested": ["deep": "q\"b\\s/"], "empty": [], "obj": [:]],
            "ctl": "\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{7F}",
            "uni": "é€😀\u{2028}\u{2029}",
        ]
        let expected = #"{"z":[1,-0.5,12500.00,null,true,false],"a":{"nested":{"deep":"q\"b\\s/"},"empty":[],"obj":{}},"ctl":"\n\r\t\b\f\u0001\u001f\#u{7F}","uni":"é€😀\u2028\u2029"}"#
        #expect(value.serialized() == expected)
        #expect(value.serializedBytes() == Array(expected.utf8))
    }

    @Test func escapesRoundTrip() throws {
        let emoji = try parse(#""\ud83d\ude00 \u00e9\u20AC \u2028 \/ \u0000""#)
        #expect(emoji == .string("😀 é€ \u{2028} / \u{0}"))
        #expect(emoji.serialized() == "\"😀 é€ \\u2028 / \\u0000\"")
        #expect(try parse(emoji.serialized()) == emoji)
        let raw = try parse("\"😀\u{2029}\"")
        #expect(raw.serialized() == #""😀\u2029""#)
        #expect(try parse(raw.serialized()) == raw)
    }

    @Test func everyControlCharacterRoundTrips() throws {
        let text = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let serialized = JSONValue.string(text).serialized()
        #expect(!serialized.utf8.contains { $0 < 0x20 })
        #expect(try parse(serialized) == .string(text))
    }

    @Test func roundTripsAGeneratedDocument() throws {
        let value: JSONValue = [
            "amounts": [.number("48250.75"), .number("1e-7"), .number("-9223372036854775808")],
            "texts": ["", "tab\there", "quote\"", "日本語", "\u{10FFFF}"],
            "flags": [true, false, nil],
            "nested": [[["x": [[]]]]],
        ]
        #expect(try JSONParser.parse(value.serializedBytes()) == value)
    }
}

@Suite struct JSONErrorTests {
    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("   ", 3, "unexpected end of input"),
        (#"{"a":1"#, 6, "unexpected end of input"),
        (#"{"a":"#, 5, "unexpected end of input"),
        (#"{"a":"abc"#, 9, "unexpected end of input"),
        ("[1,2,]", 5, "expected a value"),
        (#"{"a":1,}"#, 7, "expected a string key"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
        ("[1 2]", 3, "expected ',' or ']'"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        ("{a:1}", 1, "expected a string key"),
        ("01", 1, "leading zeros are not allowed"),
        ("[-01]", 3, "leading zeros are not allowed"),
        ("-", 1, "unexpected end of input"),
        ("1.", 2, "unexpected end of input"),
        ("1.e3", 2, "expected a digit"),
        ("1e+", 3, "unexpected end of input"),
        ("+1", 0, "expected a value"),
        (".5", 0, "expected a value"),
        ("NaN", 0, "expected a value"),
        ("Infinity", 0, "expected a value"),
        ("-Infinity", 1, "expected a digit"),
        ("tru", 0, "expected a value"),
        ("nul1", 0, "expected a value"),
        ("[1] x", 4, "unexpected data after the JSON value"),
        ("{} {}", 3, "unexpected data after the JSON value"),
        ("1 // comment", 2, "unexpected data after the JSON value"),
        ("/* c */ 1", 0, "expected a value"),
        ("\"a\tb\"", 2, "unescaped control character in string"),
        ("\"a\nb\"", 2, "unescaped control character in string"),
        (#""\x""#, 1, "invalid escape sequence"),
        (#""\u12G4""#, 5, "expected 4 hex digits"),
        (#""ab\ud800""#, 3, "unpaired surrogate escape"),
        (#""\ud800\u0041""#, 1, "unpaired surrogate escape"),
        (#""\udc00\ud800""#, 1, "unpaired surrogate escape"),
        (#""\ud83d""#, 1, "unpaired surrogate escape"),
        ("\u{A0}1", 0, "expected a value"),
        ("'a'", 0, "expected a value"),
    ])
    func rejectsWithOffset(text: String, offset: Int, reason: String) throws {
        let error = try #require(parseError(text), "accepted \(text)")
        #expect(error.offset == offset, "\(text)")
        #expect(error.reason == reason, "\(text)")
        #expect(error.description == "invalid JSON at byte \(offset): \(reason)")
    }

    @Test(arguments: [
        [0x22, 0x61, 0xFF, 0x22],  // invalid byte
        [0x22, 0x61, 0xC3, 0x22],  // truncated 2-byte sequence
        [0x22, 0x61, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0x61, 0xE0, 0x80, 0xAF, 0x22],  // overlong 3-byte
        [0x22, 0x61, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate U+D800
        [0x22, 0x61, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0x61, 0x80, 0x22],  // lone continuation byte
        [0x22, 0x61, 0xF0, 0x9F, 0x98],  // truncated at end of input
    ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) throws {
        let error = try #require(parseError(bytes))
        #expect(error.offset == 2)
        #expect(error.reason == "invalid UTF-8 in string")
    }

    @Test func acceptsWellFormedMultiByteUTF8() throws {
        let bytes: [UInt8] = [0x22, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]
        #expect(try JSONParser.parse(bytes) == .string("é€😀\u{10FFFF}"))
    }

    @Test func deepNestingIsRejectedWithoutCrashing() throws {
        let depth = 1000
        for (open, close) in [("[", "]"), (#"{"k":"#, "}")] {
            let text = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
            let error = try #require(parseError(text))
            #expect(error.offset == JSONParser.maxDepth * open.utf8.count)
            #expect(error.reason == "nesting deeper than \(JSONParser.maxDepth) levels")
        }
        let oneTooDeep = String(repeating: "[", count: JSONParser.maxDepth + 1)
            + String(repeating: "]", count: JSONParser.maxDepth + 1)
        #expect(parseError(oneTooDeep)?.offset == JSONParser.maxDepth)
    }

    @Test func descriptionNeverContainsInput() throws {
        let secret = "sk-live-SECRET"
        let inputs = [
            #"{"token":"\#(secret)",}"#, #"{"token":"\#(secret)"#, #"{"\#(secret)"}"#,
            #"[\#(secret)]"#, #"{"token":"\#(secret)\q"}"#, "\"\(secret)\u{01}\"", #"1 \#(secret)"#,
        ]
        for input in inputs {
            let error = try #require(parseError(input), "accepted \(input)")
            #expect(!error.description.contains("SECRET"))
            #expect(!"\(error)".contains("SECRET"))
        }
    }
}
