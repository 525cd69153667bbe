// Package schema holds the JSON Schemas (draft 2020-12) of the App and the
// Platform, for editors (# yaml-language-server: $schema=...), for other
// validators and for slipway schema. They are generated from the Go types
// of functions/api/v1alpha1 by make docs, and a test fails when they drift.
package schema

import _ "embed"

// App is app.schema.json.
//
//go:embed app.schema.json
var App []byte

// Platform is platform.schema.json.
//
//go:embed platform.schema.json
var Platform []byte
