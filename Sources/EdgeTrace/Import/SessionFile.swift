/// Opens whatever the user hands to `stats` or `--replay`: an edgetop trace streams through
/// `TraceReader`; other tools' logs are imported (several files of one run merge).
public enum SessionFile {
    /// An event source for `paths` (one trace, or one or more logs of a single run).
    public static func open(_ paths: [String], options: ImportOptions = ImportOptions()) throws -> EventSource {
        if paths.count == 1, try LogFormat.detect(path: paths[0]) == .edgetopTrace {
            return try TraceReader(path: paths[0])
        }
        return try Importer.session(paths: paths, options: options)
    }

    /// An event source for one file.
    public static func open(_ path: String, options: ImportOptions = ImportOptions()) throws -> EventSource {
        try open([path], options: options)
    }
}
