// Package version holds the release version, set at link time.
package version

// Version is the release of the slipway functions ("dev" in local builds).
var Version = "dev"
