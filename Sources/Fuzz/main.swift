// mlc-fuzz <target> [libFuzzer arguments]: libFuzzer over one parser (Targets.swift). Built with the fuzzer only by
// infra/fuzz/run.sh (-DFUZZING, ASan, coverage, libclang_rt.fuzzer_no_main); a normal build gives this stub.
#if FUZZING
import CFuzzDriver
import Glibc

nonisolated(unsafe) var selected: FuzzTarget?

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTargets.all.first(where: { $0.name == arguments[1] }) else {
    print("usage: mlc-fuzz <target> [libFuzzer arguments]; targets: \(FuzzTargets.all.map(\.name).joined(separator: " "))")
    exit(2)
}
selected = target
var cArguments: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
var argc = CInt(cArguments.count - 1)
let status = cArguments.withUnsafeMutableBufferPointer { buffer in
    var argv = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        selected!.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
exit(status)
#else
print("mlc-fuzz is built for fuzzing by infra/fuzz/run.sh; targets: \(FuzzTargets.all.map(\.name).joined(separator: " "))")
#endif
