import Core
import Domain
import Outbound
import Interactions
import Foundation

/// The sample data in `Fixtures/` — one consistent story in company `usmf`, see `Fixtures/README.md` — shipped as a
/// resource of this target and read at run time: the F&O schema extract the entity model is built from
/// (`metadata/fo-schema.json`), the seeded F&O company (`odata/<EntitySet>.json`), F&O's error bodies
/// (`odata/error-*.json`) and the sample business events (`business-events/*.json`). The tests, the demo and
/// the benchmarks read the same files from the source tree, so there is one copy.
enum SampleData {
    /// The `Fixtures` folder in the sandbox's resource bundle (next to the executable, or in the build folder).
    static let directory: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("ml-connector-sandbox: the Fixtures folder is missing from its resource bundle \(Bundle.module.bundlePath)")
        }
        return url
    }()

    /// The bytes of `relativePath` under `Fixtures/`, or `nil` when there is no such file.
    static func bytes(_ relativePath: String) -> [UInt8]? {
        FileManager.default.contents(atPath: directory.appendingPathComponent(relativePath).path).map { Array($0) }
    }

    /// The names of the `.json` files in `folder`, without the extension, sorted.
    static func jsonNames(in folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(folder).path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    // MARK: F&O

    /// The schema extract `metadata/fo-schema.json` (see `EntityModel`).
    static let schema: JSONObject = json("metadata/fo-schema.json")

    /// The seeded company: per entity set, the documents of `odata/<set>.json` and `odata/<set>.<label>.json` (more
    /// records of the set, e.g. a second pending invoice) — each a single entity or a `{"value":[…]}` collection;
    /// inline navigation collections (`PurchaseOrderLinesV2`, `VendorInvoiceLine`) are stored in their own entity sets
    /// when loaded. Every other file of `odata/` must be an `error-*.json` body.
    static let seed: [(set: EntitySet, document: JSONObject)] = jsonNames(in: "odata")
        .filter { !$0.hasPrefix("error-") }
        .map { name in
            let setName = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
            guard let set = EntityModel.fo.set(named: setName) else {
                preconditionFailure("Fixtures/odata/\(name).json names no entity set the sandbox serves")
            }
            return (set, json("odata/\(name).json"))
        }

    /// F&O's answer to a write on a posted document: `odata/error-posted-readonly.json`, byte for byte (without the
    /// file's final line break).
    static let postedReadOnlyError: String = text("odata/error-posted-readonly.json").trimmingCharacters()

    // MARK: Business events

    /// The sample business events `send-event --fixture` knows: the files of `business-events/`, without `.json`.
    static let businessEventNames: [String] = jsonNames(in: "business-events")

    /// The body of the sample event called `name` (with or without `.json`), verbatim.
    static func businessEvent(named name: String) -> [UInt8]? {
        let wanted = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        guard businessEventNames.contains(wanted) else { return nil }
        return bytes("business-events/\(wanted).json")
    }

    // MARK: Loading

    private static func text(_ relativePath: String) -> String {
        guard let bytes = bytes(relativePath) else { preconditionFailure("Fixtures/\(relativePath) is missing") }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func json(_ relativePath: String) -> JSONObject {
        do {
            guard let object = try JSONParser.parse(Array(text(relativePath).utf8)).objectValue else {
                preconditionFailure("Fixtures/\(relativePath) is not a JSON object")
            }
            return object
        } catch {
            preconditionFailure("Fixtures/\(relativePath): \(error)")
        }
    }
}
