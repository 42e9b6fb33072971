@testable import Core
import FoundationEssentials
import Testing

@Suite("SQL statements built by interpolation")
struct SQLTests {
    @Test("values become numbered parameters in order, never text")
    func parameters() {
        let name = "x'); DROP TABLE job; --"
        let statement: SQL = "SELECT * FROM t WHERE name = \(name) AND id = \(Int64(7)) AND d = \(Decimal(string: "1.50")!) AND n = \(String?.none)"
        #expect(statement.text == "SELECT * FROM t WHERE name = $1 AND id = $2 AND d = $3 AND n = $4")
        #expect(statement.parameters == [name, "7", "1.5", nil])
        let constant: SQL = "SELECT 1"
        #expect(constant.text == "SELECT 1" && constant.parameters.isEmpty)
    }

    @Test("raw constants splice as text; fragments are renumbered after what comes before")
    func composition() {
        let columns = "id, state"
        let owned: SQL = "id = \(Int64(3)) AND locked_by = \("w1")"
        let statement: SQL = "UPDATE job SET state = \("done") WHERE \(sql: owned) RETURNING \(raw: columns), \(true)"
        #expect(statement.text == "UPDATE job SET state = $1 WHERE id = $2 AND locked_by = $3 RETURNING id, state, $4")
        #expect(statement.parameters == ["done", "3", "w1", "t"])
    }

    @Test("arrays become quoted array literals")
    func arrays() {
        #expect(["a", "b\"c", "d\\e"].postgresText == #"{"a","b\"c","d\\e"}"#)
        #expect([Int64(1), 2].postgresText == #"{"1","2"}"#)
        #expect([String?.none, "x"].postgresText == #"{NULL,"x"}"#)
        #expect([String]().postgresText == "{}")
    }
}
