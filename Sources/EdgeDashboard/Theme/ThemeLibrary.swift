import Foundation

/// Finds themes by name or path. A NAME is looked up as `NAME.theme` in, in order:
/// each directory of `$EDGETOP_THEMES` (colon-separated), `~/.config/edgetop/themes`
/// (`$XDG_CONFIG_HOME/edgetop/themes`), and the `themes/` folder of the package the
/// executable was built in (found by walking up from the executable). An argument holding a
/// `/` or ending in `.theme` is a PATH.
public enum ThemeLibrary {
    /// The themes shipped in `themes/`, in the order `t` cycles through them.
    public static let shipped = ["default", "light", "high-contrast", "monochrome"]

    /// Directories searched for a theme name, most specific first.
    public static func searchDirectories(environment: [String: String] = ProcessInfo.processInfo.environment,
                                         executablePath: String? = ThemeLibrary.executablePath()) -> [String] {
        var dirs: [String] = []
        if let env = environment["EDGETOP_THEMES"] {
            dirs += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            dirs.append(xdg + "/edgetop/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            dirs.append(home + "/.config/edgetop/themes")
        }
        if let exe = executablePath {
            var dir = (exe as NSString).deletingLastPathComponent
            for _ in 0..<6 {
                let candidate = dir + "/themes"
                if FileManager.default.fileExists(atPath: candidate + "/default.theme") { dirs.append(candidate); break }
                let up = (dir as NSString).deletingLastPathComponent
                if up == dir { break }
                dir = up
            }
        }
        return dirs
    }

    /// The running executable's path (Linux: /proc/self/exe, else argv[0]).
    public static func executablePath() -> String? {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return CommandLine.arguments.first
    }

    /// Whether `argument` names a file rather than a theme name.
    public static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".theme")
    }

    /// The file a theme name resolves to, if any.
    public static func file(named name: String, in directories: [String]) -> String? {
        for d in directories {
            let path = d + "/" + name + ".theme"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    /// Loads the theme `nameOrPath`. The name "default" always resolves (to the built-in
    /// copy when no file is found). Errors name the file, line and problem; callers show
    /// the error and fall back to `Theme.builtinDefault`.
    public static func load(_ nameOrPath: String, directories: [String]) throws -> Theme {
        if isPath(nameOrPath) { return try Theme.load(path: nameOrPath) }
        guard nameOrPath.allSatisfy({ $0.isLetter || $0.isNumber || "-_.+".contains($0) }) else {
            throw ThemeError(file: nameOrPath, line: 0, problem: "not a theme name or path")
        }
        if let path = file(named: nameOrPath, in: directories) { return try Theme.load(path: path) }
        if nameOrPath == "default" { return .builtinDefault }
        let searched = directories.isEmpty ? "no theme directory found" : "looked in " + directories.joined(separator: ", ")
        throw ThemeError(file: nameOrPath, line: 0, problem: "no theme of that name (\(searched))")
    }

    /// Names of every theme found, shipped ones first in their order, then the rest sorted.
    public static func availableNames(in directories: [String]) -> [String] {
        var names = Set<String>()
        for d in directories {
            for f in (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? [] where f.hasSuffix(".theme") {
                names.insert(String(f.dropLast(6)))
            }
        }
        return shipped.filter { names.contains($0) } + names.subtracting(shipped).sorted()
    }

    /// The themes `t` cycles through: `first` (the one chosen), then every other theme found.
    /// Files that fail to load are left out and reported in `errors`.
    public static func cycle(startingWith first: Theme, directories: [String]) -> (themes: [Theme], errors: [ThemeError]) {
        var themes = [first], errors: [ThemeError] = []
        for name in availableNames(in: directories) where name != first.name {
            do { themes.append(try load(name, directories: directories)) } catch let e as ThemeError { errors.append(e) } catch {}
        }
        return (themes, errors)
    }

    /// What the command line wants: the theme `choice` (or "default"), falling back to the
    /// built-in default with the error when it cannot load, plus the cycle list.
    public static func resolve(_ choice: String?, directories: [String]) -> (themes: [Theme], error: ThemeError?) {
        var chosen = Theme.builtinDefault, failure: ThemeError?
        do { chosen = try load(choice ?? "default", directories: directories) } catch let e as ThemeError { failure = e } catch {}
        return (cycle(startingWith: chosen, directories: directories).themes, failure)
    }
}
