import Foundation

/// The shipped profiles/ folder of the package, found from this source file.
func shippedProfilesFolder(file: StaticString = #filePath) -> String {
    URL(fileURLWithPath: "\(file)").deletingLastPathComponent()
        .appendingPathComponent("../../profiles").standardized.path
}
