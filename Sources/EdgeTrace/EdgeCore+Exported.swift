/// The seeded generator is part of this module's vocabulary (`ABComparison`'s bootstrap
/// seed), so its users get it without a second import.
@_exported import EdgeCore
