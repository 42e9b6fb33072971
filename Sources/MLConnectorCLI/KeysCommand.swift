import ArgumentParser
import Common

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Master key maintenance.", subcommands: [Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every secret under MLC_MASTER_KEY (set MLC_MASTER_KEY_PREVIOUS to the old key).")

        func run() throws {
            let context = try CLIContext(needs: .masterKey)
            let db = context.connect()
            let keys = context.configuration.masterKeys!
            let count = reporting { try ConnectionStore(db).resealAll(box: context.secretBox, currentKeyID: keys.current.id) }
            print("re-encrypted \(count) secret(s) under key \(keys.current.id)")
        }
    }
}
