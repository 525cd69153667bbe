// Package encode is slipway's output edge: it turns typed objects into YAML
// nodes (field order, YAML 1.1 quoting) and writes ResourceLists byte for
// byte as kyaml does, with a faster emitter for rendered objects. Nothing
// else in slipway quotes, emits or writes YAML.
package encode
