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
        // A minute of the emulated device on the accepted profile: no value it accepted traps,
        // and every sample it makes is one a trace can hold.
        let emulator = DeviceEmulator(profile: p)
        for i in 1...240 {
            let s = emulator.sample(t: Double(i) * 0.25)
            for x in s.temperatures { precondition(x.celsius.isFinite, "temperature \(x.celsius) from \(p)") }
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
