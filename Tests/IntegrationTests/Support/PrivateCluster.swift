import Foundation

/// A PostgreSQL cluster of a test's own (through `infra/pg-cluster.sh`), for tests that stop the server.
final class PrivateCluster: @unchecked Sendable {
    let directory: String
    private(set) var url = ""

    init() throws {
        directory = NSTemporaryDirectory() + "mlc-cluster-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try start()
    }

    func start() throws {
        let result = try ProcessRunner.run("/bin/bash", arguments: [TestEnvironment.clusterScript, "start", directory],
                                           environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], timeout: 120)
        guard result.status == 0 else { throw ClusterFailure(message: result.stderr) }
        url = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stop() throws {
        let result = try ProcessRunner.run("/bin/bash", arguments: [TestEnvironment.clusterScript, "stop", directory],
                                           environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], timeout: 120)
        guard result.status == 0 else { throw ClusterFailure(message: result.stderr) }
    }

    deinit {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

struct ClusterFailure: Error { let message: String }
