import EdgeEmulation
import FuzzSupport

/// A device profile file: it parses to a profile the emulator can run, or fails with a clean
/// `file:line: problem`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    do {
        let p = try ProfileParser.parse(FuzzInput.text(data, size), file: "fuzz.profile")
        precondition(p.cores >= 1 && !p.freqStepsMHz.isEmpty, "an accepted profile cannot run: \(p)")
        // A minute of emulated full load on the accepted profile: no value it accepted traps.
        let emulator = DeviceEmulator(profile: p, threads: p.cores)
        for i in 1...240 {
            _ = emulator.slowdown(latencyNs: 10_000_000)
            FuzzInput.requireClean(emulator.sample(t: Double(i) * 0.25).temperatures.map(\.sensor).joined())
        }
    } catch let e as ProfileError {
        FuzzInput.requireClean(e.description)
    } catch {
        fatalError("a profile threw something other than a ProfileError: \(error)")
    }
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzProfile_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
