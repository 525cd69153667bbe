// Package worstcase builds the inputs that cost the render function the
// most time and memory while staying under every input limit
// (functions/krm/limits.go): the worst cases that docs/robustness.md
// states, measured by BenchmarkWorstCase (functions/krm) and hack/bench.sh.
package worstcase

import (
	"bytes"
	"fmt"
	"strings"
)

// Case is one worst-case input.
type Case struct {
	Name string
	// What the input is, and which limits it comes close to.
	What string
	// Fails says whether the function refuses the input (with error
	// results, not a limit).
	Fails bool
	Input func() []byte
}

const header = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"

// Cases are the worst cases, each close to one or more limits.
var Cases = []Case{
	{
		Name:  "flow-lists",
		What:  "8 ConfigMaps, each one flow list of 239,990 numbers: 1.92 million values and separators, under MaxInputNodes, MaxSeparators and MaxItemNodes; passed through and written back by yaml.v3 (flow style)",
		Input: flowLists,
	},
	{
		Name:  "block-maps",
		What:  "8 ConfigMaps of 119,990 keys each, block style: 1.92 million values and separators; passed through and written back",
		Input: blockMaps,
	},
	{
		Name:  "small-items",
		What:  "1,900 ConfigMaps of a flow list of 1,000 numbers: 1.9 million values in many items",
		Input: smallItems,
	},
	{
		Name:  "app-env",
		What:  "8 Apps of 39,990 env variables each: 200,000 values per App, checked, validated, rendered into Deployments of 39,990 variables",
		Input: appEnv,
	},
	{
		Name:  "aliased-text",
		What:  "1 App whose config data repeats a 256 KiB string 255 times through aliases: 64 MiB of text, under MaxInputBytes as aliases count, decoded, rendered into a 64 MiB ConfigMap",
		Input: aliasedText,
	},
	{
		Name:  "unknown-keys",
		What:  "1 App with 5,000 unknown keys of 1,000 characters: 5,000 error results",
		Fails: true,
		Input: unknownKeys,
	},
}

func flowLists() []byte { return configMapLists(8, 239_990) }

// configMapLists is a ResourceList of items ConfigMaps in flow style, each
// holding a list of length numbers.
func configMapLists(items, length int) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	list := strings.TrimSuffix(strings.Repeat("1,", length), ",")
	for i := range items {
		fmt.Fprintf(&b, "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c%d}, data: {k: [%s]}}\n", i, list)
	}
	return b.Bytes()
}

func blockMaps() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	for i := range 8 {
		fmt.Fprintf(&b, "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c%d}\n  data:\n", i)
		for j := range 119_990 {
			fmt.Fprintf(&b, "    k%d: v\n", j)
		}
	}
	return b.Bytes()
}

func smallItems() []byte { return configMapLists(1900, 1000) }

func appEnv() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	for i := range 8 {
		fmt.Fprintf(&b, "- apiVersion: slipway.dev/v1alpha1\n  kind: App\n  metadata: {name: a%d, namespace: web}\n  spec:\n    image: registry.example.com/a:1.0.0\n    env:\n", i)
		for j := range 39_990 {
			fmt.Fprintf(&b, "    - {name: V%d, value: x}\n", j)
		}
	}
	return b.Bytes()
}

func aliasedText() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("- apiVersion: slipway.dev/v1alpha1\n  kind: App\n  metadata: {name: shop, namespace: web}\n  spec:\n    image: registry.example.com/shop:1.0.0\n    config:\n      data:\n")
	b.WriteString("        k0: &big " + strings.Repeat("x", 256<<10) + "\n")
	for i := 1; i < 255; i++ {
		fmt.Fprintf(&b, "        k%d: *big\n", i)
	}
	return b.Bytes()
}

func unknownKeys() []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("- apiVersion: slipway.dev/v1alpha1\n  kind: App\n  metadata: {name: shop, namespace: web}\n  spec:\n    image: registry.example.com/shop:1.0.0\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "    k%05d%s: 1\n", i, strings.Repeat("x", 994))
	}
	return b.Bytes()
}
