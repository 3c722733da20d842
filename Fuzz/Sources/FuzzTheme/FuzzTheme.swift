import EdgeDashboard
import FuzzSupport

/// A btop-format theme file: it parses or fails with a clean `file:line: problem`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    do {
        let theme = try Theme.parse(FuzzInput.text(data, size), name: "fuzz", file: "fuzz.theme")
        // Every key the dashboard asks for has a colour, from the file or the fallback.
        for key in Theme.keys { _ = theme.color(key) }
        for g in GradientKey.allCases { _ = theme.gradient(g, 0.5) }
    } catch let e as ThemeError {
        FuzzInput.requireClean(e.description)
    } catch {
        fatalError("a theme threw something other than a ThemeError: \(error)")
    }
    return 0
}

/// The entry point SwiftPM links as `main`.
@_cdecl("FuzzTheme_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.main(argc, argv, fuzz)
}
