package hunt

// DefaultThreshold is the least score that spends a scan.
const DefaultThreshold = 4.0
