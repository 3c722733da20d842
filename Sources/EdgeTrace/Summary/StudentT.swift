/// The 97.5% quantile of Student's t with `df` degrees of freedom (table to 30, linear
/// between whole degrees, then 1.96 + 2.4 / df, within 0.003 of the exact value).
func studentT975(_ df: Double) -> Double {
    let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
    guard df >= 1 else { return table[0] }
    if df >= 30 { return 1.96 + 2.4 / df }
    let lo = Int(df.rounded(.down)), frac = df - Double(lo)
    return frac == 0 ? table[lo - 1] : table[lo - 1] + frac * (table[lo] - table[lo - 1])
}
