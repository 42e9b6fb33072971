import ArgumentParser
import Core
import Domain
import Outbound
import Jobs

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Master key maintenance.", subcommands: [Rotate.self])

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-encrypt every secret under MLC_MASTER_KEY (set MLC_MASTER_KEY_PREVIOUS to the old key).")

        func run() throws {
            let context = try CLIContext(KeyedConfiguration.self)
            let db = try context.connect()
            let keys = context.loaded.masterKeys
            let count = try reporting { try ConnectionStore(db).resealAll(box: context.loaded.secretBox, currentKeyID: keys.current.id) }
            print("re-encrypted \(count) secret(s) under key \(keys.current.id)")
        }
    }
}
