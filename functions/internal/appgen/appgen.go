// Package appgen generates realistic, valid Apps from a seed, for
// benchmarks, property tests and the benchmark script's inputs.
package appgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

var (
	namespaces = []string{"", "backend", "frontend", "payments", "search", "data"}
	teams      = []string{"platform", "checkout", "growth", "identity", "infra"}
	words      = []string{"admin", "api", "billing", "cart", "catalog", "auth", "orders", "search", "users", "web", "worker", "gateway"}
	stores     = []string{"vault-backend", "aws-secrets", "gcp-secrets"}
)

// App returns the i-th App of the stream that seed stands for, as the
// document a user would write. Its name is unique in the stream.
func App(seed uint64, i int) map[string]any {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	word := pick(r, words)
	name := fmt.Sprintf("%s-%04d", word, i)
	meta := map[string]any{"name": name}
	if ns := pick(r, namespaces); ns != "" {
		meta["namespace"] = ns
	}
	if r.IntN(2) == 0 {
		meta["labels"] = map[string]any{"team": pick(r, teams)}
	}
	image := fmt.Sprintf("registry.example.com/%s/%s:%d.%d.%d", pick(r, teams), word, 1+r.IntN(3), r.IntN(20), r.IntN(10))
	if r.IntN(5) == 0 {
		image = fmt.Sprintf("registry.example.com/%s@sha256:%064x", word, r.Uint64())
	}
	spec := map[string]any{"image": image}
	if r.IntN(3) > 0 {
		spec["replicas"] = 1 + r.IntN(5)
	}
	if r.IntN(4) == 0 {
		spec["command"] = []any{"bash", "-c"}
		spec["args"] = []any{"exec /app/" + word + " --port=$(PORT)"}
	}
	ports := []any{map[string]any{"name": "http", "port": 8000 + r.IntN(1000)}}
	if r.IntN(3) == 0 {
		ports = append(ports, map[string]any{"name": "grpc", "port": 9090})
	}
	if r.IntN(4) == 0 {
		ports = append(ports, map[string]any{"name": "metrics", "port": 9102})
	}
	if r.IntN(5) > 0 {
		spec["ports"] = ports
	}

	var secrets []any
	var env []any
	env = append(env, map[string]any{"name": "PORT", "value": "8080"})
	for k := range r.IntN(6) {
		env = append(env, map[string]any{"name": fmt.Sprintf("SETTING_%d", k), "value": fmt.Sprintf("value-%d-%d", i, k)})
	}
	if r.IntN(3) == 0 {
		env = append(env, map[string]any{"name": "LOG_LEVEL", "configMapKeyRef": map[string]any{"name": name + "-settings", "key": "level"}})
	}
	for s := range r.IntN(3) {
		sname := fmt.Sprintf("%s-secret-%d", name, s)
		var data []any
		for k := range 1 + r.IntN(3) {
			key := fmt.Sprintf("key-%d", k)
			data = append(data, map[string]any{"secretKey": key, "remoteRef": map[string]any{"key": "prod/" + name, "property": fmt.Sprintf("p%d", k)}})
			env = append(env, map[string]any{"name": fmt.Sprintf("SECRET_%d_%d", s, k), "secretKeyRef": map[string]any{"name": sname, "key": key}})
		}
		es := map[string]any{"name": sname, "storeRef": map[string]any{"name": pick(r, stores)}, "data": data}
		if r.IntN(2) == 0 {
			es["storeRef"].(map[string]any)["kind"] = "ClusterSecretStore"
			es["refreshInterval"] = "15m"
		}
		secrets = append(secrets, es)
	}
	spec["env"] = env
	if len(secrets) > 0 {
		spec["externalSecrets"] = secrets
	}
	autoscaled := r.IntN(4) == 0
	if autoscaled || r.IntN(4) > 0 {
		spec["resources"] = map[string]any{
			"requests": map[string]any{"cpu": fmt.Sprintf("%dm", 50*(1+r.IntN(8))), "memory": fmt.Sprintf("%dMi", 128*(1+r.IntN(4)))},
			"limits":   map[string]any{"memory": "1Gi"},
		}
	}
	routed := r.IntN(5) > 0
	if routed {
		routing := map[string]any{"hosts": []any{fmt.Sprintf("%s.%s.example.com", name, pick(r, teams))}}
		switch r.IntN(3) {
		case 0:
			routing["gateway"] = map[string]any{"name": "istio-system/public"}
		case 1:
			routing["gateway"] = map[string]any{"tls": map[string]any{"credentialName": name + "-cert"}}
		}
		if r.IntN(2) == 0 {
			routing["requestHeaders"] = map[string]any{"x-forwarded-proto": "https", "x-forwarded-port": "443"}
		}
		spec["routing"] = routing
	}
	switch n := r.IntN(10); {
	case n < 3:
		weight := r.IntN(101)
		if !routed {
			weight = 0 // without routing nothing splits traffic
		}
		spec["canary"] = map[string]any{"weight": weight, "image": fmt.Sprintf("registry.example.com/%s:2.0.%d", word, r.IntN(10)), "replicas": 1 + r.IntN(2)}
	case n < 5:
		spec["canary"] = map[string]any{"weight": 0}
	case n == 5 && routed:
		spec["canary"] = map[string]any{"controller": "argo-rollouts", "image": fmt.Sprintf("registry.example.com/%s:2.1.0", word),
			"steps": []any{map[string]any{"setWeight": 20}, map[string]any{"pause": map[string]any{"duration": "10m"}}, map[string]any{"setWeight": 50}, map[string]any{"pause": map[string]any{}}}}
	case n == 6 && routed:
		spec["canary"] = map[string]any{"controller": "flagger"}
	}
	if autoscaled {
		spec["autoscaling"] = map[string]any{"minReplicas": 2, "maxReplicas": 4 + r.IntN(6)}
	}
	if r.IntN(3) == 0 {
		spec["probes"] = map[string]any{"readiness": map[string]any{"path": "/healthz"}, "liveness": map[string]any{"path": "/livez"}}
	}
	if r.IntN(4) == 0 {
		spec["config"] = map[string]any{"data": map[string]any{"app.yaml": "level: info\n", "features.json": `{"beta": false}`}, "mountPath": "/etc/" + word}
	}
	if r.IntN(4) == 0 {
		spec["pod"] = map[string]any{
			"nodeSelector":              map[string]any{"node-pool": pick(r, []string{"general", "memory", "compute"})},
			"tolerations":               []any{map[string]any{"key": "dedicated", "operator": "Equal", "value": word, "effect": "NoSchedule"}},
			"topologySpreadConstraints": []any{map[string]any{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway"}},
		}
	}
	if r.IntN(4) == 0 {
		processes(r, spec, word, secrets)
	}
	return map[string]any{"apiVersion": "slipway.dev/v1alpha1", "kind": "App", "metadata": meta, "spec": spec}
}

// processes gives the App what a service runs besides its serving process:
// volumes (scratch space in memory, a file of one of its secrets or a
// shared ConfigMap, sometimes a claim that many pods can mount), an init
// container, sometimes a native sidecar, one or two workers, a hook job and
// a cron job.
func processes(r *rand.Rand, spec map[string]any, word string, secrets []any) {
	volumes := []any{map[string]any{"name": "scratch", "mountPath": "/app/tmp", "emptyDir": map[string]any{"medium": "Memory", "sizeLimit": "32Mi"}}}
	if len(secrets) > 0 {
		// One key of the App's first Secret (appgen gives each a key-0) as a file.
		volumes = append(volumes, map[string]any{"name": "credentials", "mountPath": "/app/config/credentials.key", "subPath": "key-0",
			"secret": map[string]any{"secretName": secrets[0].(map[string]any)["name"]}})
	} else {
		volumes = append(volumes, map[string]any{"name": "credentials", "mountPath": "/etc/ssl/company", "configMap": map[string]any{"name": "company-ca"}})
	}
	if r.IntN(3) == 0 {
		// ReadWriteMany: every replica, the canary's pods and the workers may mount it.
		volumes = append(volumes, map[string]any{"name": "uploads", "mountPath": "/app/uploads",
			"storage": map[string]any{"size": fmt.Sprintf("%dGi", 1+r.IntN(50)), "storageClassName": "efs", "accessModes": []any{"ReadWriteMany"}}})
	}
	spec["volumes"] = volumes
	spec["initContainers"] = []any{map[string]any{"name": "wait-deps", "command": []any{"bin/wait-for", "--timeout=60s"}, "mounts": []any{"credentials"}}}
	if r.IntN(2) == 0 {
		spec["sidecars"] = []any{map[string]any{"name": "proxy", "image": "registry.example.com/infra/proxy:2.14.0", "args": []any{"--port=5432"},
			"resources": map[string]any{"requests": map[string]any{"cpu": "20m", "memory": "32Mi"}, "limits": map[string]any{"memory": "64Mi"}},
			"mounts":    []any{"credentials"}}}
	}
	var workers []any
	for _, name := range []string{"consumer", "scheduler"}[:1+r.IntN(2)] {
		w := map[string]any{"name": name, "command": []any{"bin/" + name}, "env": []any{map[string]any{"name": "QUEUE", "value": word}},
			"mounts": []any{"scratch", "credentials"}}
		if r.IntN(3) == 0 {
			w["autoscaling"] = map[string]any{"minReplicas": 1, "maxReplicas": 2 + r.IntN(8), "targetCPUUtilizationPercentage": 75}
			w["resources"] = map[string]any{"requests": map[string]any{"cpu": "200m", "memory": "256Mi"}, "limits": map[string]any{"memory": "512Mi"}}
		} else {
			w["replicas"] = 1 + r.IntN(3)
		}
		workers = append(workers, w)
	}
	spec["workers"] = workers
	hook := "PreSync"
	if r.IntN(4) == 0 {
		hook = "PostSync"
	}
	nightly := map[string]any{"name": "nightly", "command": []any{"bin/" + word, "nightly"}, "schedule": fmt.Sprintf("%d %d * * *", r.IntN(60), r.IntN(24))}
	if r.IntN(2) == 0 {
		nightly["timeZone"] = pick(r, []string{"Europe/Berlin", "Asia/Tokyo", "America/New_York"})
	}
	spec["jobs"] = []any{
		map[string]any{"name": "migrate", "command": []any{"bin/migrate"}, "hook": hook, "mounts": []any{"credentials"}},
		nightly,
	}
}

func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// Nodes returns the first n Apps of the seed's stream as YAML nodes.
func Nodes(seed uint64, n int) ([]*yaml.RNode, error) {
	nodes := make([]*yaml.RNode, 0, n)
	for i := range n {
		node, err := yaml.FromMap(App(seed, i))
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, node)
	}
	return nodes, nil
}

// ResourceList returns the first n Apps of the seed's stream as the items of
// a ResourceList, the input of a KRM function.
func ResourceList(seed uint64, n int) ([]byte, error) {
	nodes, err := Nodes(seed, n)
	if err != nil {
		return nil, err
	}
	items := &yaml.Node{Kind: yaml.SequenceNode}
	for _, node := range nodes {
		items.Content = append(items.Content, node.YNode())
	}
	rl := yaml.NewMapRNode(&map[string]string{"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList"})
	if err := rl.PipeE(yaml.SetField("items", yaml.NewRNode(items))); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(rl.Document()); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Shuffle reorders, with r, the keys of every mapping in the node tree: a
// YAML object means the same whatever the order of its keys.
func Shuffle(r *rand.Rand, node *yaml.Node) {
	if node.Kind == yaml.MappingNode {
		n := len(node.Content) / 2
		r.Shuffle(n, func(i, j int) {
			node.Content[2*i], node.Content[2*j] = node.Content[2*j], node.Content[2*i]
			node.Content[2*i+1], node.Content[2*j+1] = node.Content[2*j+1], node.Content[2*i+1]
		})
	}
	for _, c := range node.Content {
		Shuffle(r, c)
	}
}
