import XCTest
@testable import EdgeDashboard

final class ThemeTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ThemeFixtures").path

    func testShippedThemesLoadAndDefaultMatchesBuiltIn() throws {
        for name in ThemeLibrary.shipped {
            let t = try Fixture.shipped(name)
            XCTAssertEqual(t.name, name)
            for key in Theme.keys { XCTAssertNotNil(t.colors[key], "\(name) lacks \(key)") }
        }
        XCTAssertEqual(try Fixture.shipped("default"), Theme.builtinDefault)
        XCTAssertTrue(try Fixture.shipped("monochrome").isMonochrome)
        XCTAssertFalse(try Fixture.shipped("light").isMonochrome)
    }

    func testEveryValueFormBtopAccepts() throws {
        let t = try Theme.load(path: fixtures + "/valid/community-style.theme")
        XCTAssertEqual(t.name, "community-style")
        XCTAssertEqual(t.color("main_bg"), .default)                 // ""
        XCTAssertEqual(t.color("main_fg"), .rgb(0xE0, 0xE0, 0xE0))    // #RRGGBB, upper case
        XCTAssertEqual(t.color("title"), .rgb(255, 255, 255))         // decimal
        XCTAssertEqual(t.color("hi_fg"), .rgb(0xb0, 0xb0, 0xb0))      // #BW grey
        XCTAssertEqual(t.color("cpu_end"), .rgb(0x5f, 0xfd, 0xff))    // no '#'
        XCTAssertEqual(t.color("cpu_start"), .rgb(0x20, 0x40, 0x60))  // unquoted with a comment
        XCTAssertEqual(t.color("temp_start"), .rgb(0, 0, 255))        // indented, trailing spaces
        XCTAssertNil(t.colors["process_misc"])                         // unknown key ignored
        // Keys the file leaves out come from the default theme.
        XCTAssertEqual(t.color("net_box"), Theme.builtinDefault.color("net_box"))
        let crlf = try Theme.load(path: fixtures + "/valid/crlf.theme")
        XCTAssertEqual(crlf.color("main_fg"), .rgb(0xf0, 0xf0, 0xf0))
    }

    func testGradients() throws {
        let t = try Theme.load(path: fixtures + "/valid/community-style.theme")
        // start and end only (mid empty): a straight blend.
        XCTAssertEqual(t.gradient(.temp, 0), .rgb(0, 0, 255))
        XCTAssertEqual(t.gradient(.temp, 1), .rgb(255, 0, 0))
        XCTAssertEqual(t.gradient(.temp, 0.5), .rgb(128, 0, 128))
        // Three stops: through the middle one.
        let d = Theme.builtinDefault
        XCTAssertEqual(d.gradient(.cpu, 0.5), d.color("cpu_mid"))
        XCTAssertEqual(d.gradient(.cpu, 1), d.color("cpu_end"))
        // Start only: flat.
        let flat = try Theme.parse("theme[upload_start]=\"#102030\"\ntheme[upload_mid]=\"\"\ntheme[upload_end]=\"\"", name: "x", file: "x")
        XCTAssertEqual(flat.gradient(.upload, 0.9), .rgb(0x10, 0x20, 0x30))
        // Out of range fractions clamp.
        XCTAssertEqual(t.gradient(.temp, 7), .rgb(255, 0, 0))
        XCTAssertEqual(t.gradient(.temp, .nan), .rgb(0, 0, 255))
    }

    func testInvalidFilesNameFileLineAndProblem() {
        let cases: [(String, String)] = [
            ("bad-hex", ":3: invalid colour \"#12345\" for theme[main_fg]: expected \"#RRGGBB\", \"#BW\" or \"R G B\" (0-255)"),
            ("out-of-range", ":1: invalid colour \"255 300 0\" for theme[main_fg]: decimal values must be 0-255"),
            ("unclosed-quote", ":3: missing closing quote in the value of theme[title]"),
            ("missing-equals", ":1: expected '=' after theme[title]"),
            ("missing-bracket", ":1: missing ']' after the key"),
            ("not-a-theme", ": no theme[key]=\"value\" lines: not a btop theme file"),
            ("trailing-garbage", ":1: unexpected text after the value of theme[main_bg]: \"junk\""),
            ("two-values", ":1: invalid colour \"10 20\" for theme[main_bg]: expected \"#RRGGBB\", \"#BW\" or \"R G B\" (0-255)"),
        ]
        for (name, message) in cases {
            let path = fixtures + "/invalid/\(name).theme"
            XCTAssertThrowsError(try Theme.load(path: path), name) { error in
                XCTAssertEqual("\(error)", path + message)
            }
        }
    }

    func testMissingFileAndControlCharactersInErrors() {
        XCTAssertThrowsError(try Theme.load(path: "/nonexistent/x.theme")) {
            XCTAssertEqual("\($0)", "/nonexistent/x.theme: cannot read the file")
        }
        XCTAssertThrowsError(try Theme.parse("theme[main_fg]=\"\u{1b}[31m\"", name: "x", file: "t")) {
            XCTAssertEqual("\($0)", "t:1: invalid colour \"?[31m\" for theme[main_fg]: expected \"#RRGGBB\", \"#BW\" or \"R G B\" (0-255)")
        }
        // C1 controls (CSI as one byte, U+009B) and bidi overrides never reach stderr either.
        XCTAssertThrowsError(try Theme.parse("theme[main_fg]=\"\u{9B}31m\u{202E}x\"", name: "x", file: "t\u{85}.theme")) {
            XCTAssertEqual("\($0)", "t.theme:1: invalid colour \"x\" for theme[main_fg]: expected \"#RRGGBB\", \"#BW\" or \"R G B\" (0-255)")
        }
    }

    func testLookupByNameAndPath() throws {
        let dirs = [fixtures + "/valid", Fixture.themesDirectory]
        XCTAssertEqual(try ThemeLibrary.load("light", directories: dirs).name, "light")
        XCTAssertEqual(try ThemeLibrary.load("community-style", directories: dirs).color("title"), .rgb(255, 255, 255))
        XCTAssertEqual(try ThemeLibrary.load(fixtures + "/valid/crlf.theme", directories: []).name, "crlf")
        // "default" always resolves, even with no directory.
        XCTAssertEqual(try ThemeLibrary.load("default", directories: []), .builtinDefault)
        XCTAssertThrowsError(try ThemeLibrary.load("nope", directories: ["/a"])) {
            XCTAssertEqual("\($0)", "nope: no theme of that name (looked in /a)")
        }
        XCTAssertThrowsError(try ThemeLibrary.load("bad\u{7}name", directories: [])) {
            XCTAssertTrue("\($0)".contains("not a theme name or path"))
        }
        XCTAssertEqual(ThemeLibrary.availableNames(in: dirs), ["default", "light", "high-contrast", "monochrome", "community-style", "crlf"])
    }

    func testBrokenChoiceFallsBackToDefaultWithError() {
        let r = ThemeLibrary.resolve(fixtures + "/invalid/bad-hex.theme", directories: [Fixture.themesDirectory])
        XCTAssertEqual(r.themes.first, .builtinDefault)
        XCTAssertEqual(r.error?.line, 3)
        XCTAssertEqual(r.themes.map(\.name), ["default", "light", "high-contrast", "monochrome"])
        let ok = ThemeLibrary.resolve("light", directories: [Fixture.themesDirectory])
        XCTAssertNil(ok.error)
        XCTAssertEqual(ok.themes.map(\.name), ["light", "default", "high-contrast", "monochrome"])
    }

    func testSearchDirectories() throws {
        let env = ["EDGETOP_THEMES": "/x:/y", "HOME": "/home/u"]
        let exe = Fixture.themesDirectory + "/../.build/debug/edgetop"
        let dirs = ThemeLibrary.searchDirectories(environment: env, executablePath: exe)
        XCTAssertEqual(Array(dirs.prefix(3)), ["/x", "/y", "/home/u/.config/edgetop/themes"])
        XCTAssertEqual(dirs.count, 4)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dirs[3] + "/default.theme"))
        let xdg = ThemeLibrary.searchDirectories(environment: ["XDG_CONFIG_HOME": "/cfg"], executablePath: nil)
        XCTAssertEqual(xdg, ["/cfg/edgetop/themes"])
    }
}

/// btop's own themes, where btop is installed: every one must load unchanged and draw.
final class InstalledBtopThemeTests: XCTestCase {
    func testEveryInstalledBtopThemeLoadsAndDraws() throws {
        let dirs = ["/usr/share/btop/themes", "/usr/local/share/btop/themes"]
        let files = dirs.flatMap { d in
            ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).filter { $0.hasSuffix(".theme") }.map { d + "/" + $0 }
        }
        guard !files.isEmpty else { throw XCTSkip("btop's themes are not installed here") }
        let state = Fixture.state(mode: .replay(position: 10, length: 60, speed: 1, paused: false))
        for file in files.sorted() {
            let theme: Theme
            do { theme = try Theme.load(path: file) } catch { XCTFail("\(error)"); continue }
            var s = state
            s.setThemes([theme])
            let buf = DashboardScreen.render(s, width: 80, height: 24)
            // Every cell of an empty area sits on the theme's background.
            XCTAssertEqual(buf[79, 23].style.bg, theme.color("main_bg"), file)
        }
    }
}
