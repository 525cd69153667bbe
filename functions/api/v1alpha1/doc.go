// Package v1alpha1 holds the slipway.dev/v1alpha1 API: the App an application
// team writes, the Platform a platform team writes, and how both are decoded,
// merged, defaulted and validated before any manifest is rendered.
//
// The doc comments on the types are the field reference: docs/reference.md is
// generated from them (make docs) and a test fails when the two drift.
package v1alpha1

import "strings"

const (
	// Group is the API group of every slipway kind.
	Group = "slipway.dev"
	// Version is the API version of this package.
	Version = "v1alpha1"
	// APIVersion is the apiVersion field value of App and Platform objects.
	APIVersion = Group + "/" + Version
	// KindApp is the kind of an App.
	KindApp = "App"
	// KindPlatform is the kind of a Platform.
	KindPlatform = "Platform"
)

// InGroup reports whether an apiVersion is of the slipway group, whatever
// its version.
func InGroup(apiVersion string) bool {
	group, _, _ := strings.Cut(apiVersion, "/")
	return group == Group
}
