package krm

import (
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Identity is what tells one object from another on a cluster: its API
// group (not its version), kind, namespace and name. Two objects of one
// identity are the same object to the API server: the later one applied
// overwrites the earlier.
type Identity struct{ Group, Kind, Namespace, Name string }

// IdentityOf returns the identity of an object of apiVersion and kind.
func IdentityOf(apiVersion, kind, namespace, name string) Identity {
	group, _, found := strings.Cut(apiVersion, "/")
	if !found {
		group = "" // the core group: "v1"
	}
	return Identity{group, kind, namespace, name}
}

// IdentityOfNode returns the identity of an object read from YAML.
func IdentityOfNode(n *yaml.RNode) Identity {
	return IdentityOf(n.GetApiVersion(), n.GetKind(), n.GetNamespace(), n.GetName())
}

// String names the object as messages do: "Kind namespace/name".
func (id Identity) String() string {
	name := id.Name
	if id.Namespace != "" {
		name = id.Namespace + "/" + name
	}
	return id.Kind + " " + name
}
