import Foundation

/// Finds a profile by path or by name ("a53-phone-2013" → profiles/a53-phone-2013.profile).
public enum ProfileLocator {
    /// File extension of profile files.
    public static let fileExtension = "profile"

    /// Folders searched for a profile name, in order: $EDGETOP_PROFILES, ./profiles, and the
    /// package's profiles/ folder seen from the executable (.build/<config>/edgetop).
    public static func searchFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let env = environment["EDGETOP_PROFILES"], !env.isEmpty { dirs.append(env) }
        dirs.append(FileManager.default.currentDirectoryPath + "/profiles")
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for up in ["..", "../..", "../../..", "../share/edgetop"] {
            dirs.append(exe.appendingPathComponent(up).appendingPathComponent("profiles").standardized.path)
        }
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// Resolves `nameOrPath` to a file and loads it; the error lists the profiles there are.
    public static func load(_ nameOrPath: String, folders: [String]? = nil) throws -> DeviceProfile {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDir), !isDir.boolValue {
            return try ProfileParser.load(path: nameOrPath)
        }
        let dirs = folders ?? searchFolders()
        let fileName = nameOrPath.hasSuffix("." + fileExtension) ? nameOrPath : nameOrPath + "." + fileExtension
        if !nameOrPath.contains("/") {
            for dir in dirs {
                let candidate = dir + "/" + fileName
                if FileManager.default.fileExists(atPath: candidate) { return try ProfileParser.load(path: candidate) }
            }
        }
        let known = Set(dirs.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasSuffix("." + fileExtension) }.map { String($0.dropLast(fileExtension.count + 1)) }
        }).sorted()
        let hint = known.isEmpty ? "no profiles found in \(dirs.joined(separator: ", "))" : "known profiles: \(known.joined(separator: ", "))"
        throw ProfileError(file: ProfileParser.clean(nameOrPath), line: nil, message: "no such profile file or name (\(hint))")
    }
}
