#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a whole new file is written so that a failure never leaves half of it in place:
/// beside the file it replaces, then renamed over it.
///
/// Only a regular file is ever renamed over. A symlink is followed to its regular target
/// (the link itself stays a link); a device node, FIFO, socket or directory is refused,
/// because renaming over `/dev/null` would replace the device with a plain file.
public struct OutputTarget: Sendable, Equatable {
    /// The path the user gave, for messages.
    public let path: String
    /// The file that ends up holding the data (the symlink's target when `path` is one).
    public let finalPath: String
    /// Where the data is written before the rename.
    public let temporaryPath: String

    /// Checks `path` and plans the write; `force` allows replacing an existing file.
    public init(path: String, force: Bool) throws {
        self.path = path
        var st = stat()
        if lstat(path, &st) != 0 {
            guard errno == ENOENT else {
                throw TraceError(file: path, problem: "cannot write: \(String(cString: strerror(errno)))")
            }
            finalPath = path
            temporaryPath = path + ".partial"
            return
        }
        guard force else { throw TraceError(file: path, problem: "already exists; pass --force to replace it") }
        var target = path
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                throw TraceError(file: path, problem: "is a symlink that cannot be followed: \(String(cString: strerror(errno)))")
            }
            target = String(cString: resolved)
            free(resolved)
            guard stat(target, &st) == 0 else {
                throw TraceError(file: path, problem: "cannot write: \(String(cString: strerror(errno)))")
            }
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw TraceError(file: path, problem: "is not a regular file (\(OutputTarget.kind(st.st_mode))); "
                                                  + "edgetop replaces only regular files")
        }
        finalPath = target
        temporaryPath = target + ".partial"
    }

    /// Clears the way for the temporary file: a stale one from an earlier failed run, or
    /// anything planted under its name, is removed (a symlink there is unlinked, not followed).
    public func prepare() throws {
        if unlink(temporaryPath) != 0 && errno != ENOENT {
            throw TraceError(file: temporaryPath, problem: "cannot remove the stale temporary file: \(String(cString: strerror(errno)))")
        }
    }

    /// Moves the finished temporary file into place.
    public func commit() throws {
        if rename(temporaryPath, finalPath) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw TraceError(file: path, problem: "cannot rename \(temporaryPath) into place: \(reason)")
        }
    }

    /// Removes the temporary file after a failure.
    public func abandon() { unlink(temporaryPath) }

    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        default: return "not a plain file"
        }
    }
}
