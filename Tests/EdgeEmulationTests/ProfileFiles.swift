import Foundation
import EdgeEmulation
import EdgeTestSupport

/// The shipped profiles/ folder of the package.
func shippedProfilesFolder() -> String { TestFiles.path("profiles") }

/// A compute model with every rate at 1 GMAC/s (1 GB/s) and perfect scaling, for profiles
/// built in code whose tests are about heat, not speed.
let unitCompute = ComputeModel(
    int8: ComputeRates(conv1x1GMACs: 1, depthwiseGMACs: 1, convGMACs: 1, fullyConnectedGMACs: 1, elementwiseGBps: 1),
    fp32: ComputeRates(conv1x1GMACs: 1, depthwiseGMACs: 1, convGMACs: 1, fullyConnectedGMACs: 1, elementwiseGBps: 1),
    parallelEfficiency: 1)
