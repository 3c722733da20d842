import Foundation
import EdgeTestSupport

/// The shipped profiles/ folder of the package, found from this source file.
func shippedProfilesFolder() -> String { TestFiles.path("profiles") }
