package importer

import (
	"strings"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// processes models the app's other processes: Deployments labelled with
// its name are workers, Jobs and CronJobs its jobs. Each is named by its
// app.kubernetes.io/component label, or what its name adds to the App's.
func processes(a *app, spec *v1alpha1.AppSpec) {
	for _, m := range a.members {
		if m.kind != "Deployment" && m.kind != "Job" && m.kind != "CronJob" {
			continue
		}
		jobSpec := m.spec()
		if m.kind == "CronJob" {
			jobSpec = mapAt(mapAt(jobSpec, "jobTemplate"), "spec")
		}
		pod := mapAt(mapAt(jobSpec, "template"), "spec")
		name := str(m.labels(), "app.kubernetes.io/component")
		if name == "" {
			name = strings.TrimPrefix(m.name, a.workload.name+"-")
		}
		c := process(name, mainContainer(pod, name), spec.Image)
		switch m.kind {
		case "Deployment":
			w := v1alpha1.Worker{Container: c}
			w.Autoscaling, w.DisruptionBudget = a.scaling(m)
			if r, ok := jobSpec["replicas"].(int); ok && r != 1 && w.Autoscaling == nil {
				w.Replicas = ptr(int32(r))
			}
			spec.Workers = append(spec.Workers, w)
		default:
			j := v1alpha1.Job{Container: c, Schedule: str(m.spec(), "schedule"), TimeZone: str(m.spec(), "timeZone")}
			switch str(mapAt(mapAt(m.doc, "metadata"), "annotations"), "argocd.argoproj.io/hook") {
			case "Sync", "PreSync":
				j.Hook = v1alpha1.HookPreSync
			case "PostSync":
				j.Hook = v1alpha1.HookPostSync
			}
			// Written as read: an explicit suspend: false is how an
			// environment resumes a job the base suspends.
			if s, ok := mapAt(m.read, "spec")["suspend"].(bool); ok {
				j.Suspend = &s
			}
			spec.Jobs = append(spec.Jobs, j)
		}
	}
}

// process is a container of another process of the app; the image is
// left out when it is the App's.
func process(name string, c map[string]any, image string) v1alpha1.Container {
	out := v1alpha1.Container{Name: name, Command: stringList(listAt(c, "command")), Args: stringList(listAt(c, "args")), Env: envVars(listAt(c, "env"))}
	if str(c, "image") != image {
		out.Image = str(c, "image")
	}
	convert(c["resources"], &out.Resources)
	for _, m := range listAt(c, "volumeMounts") {
		if name := str(asMap(m), "name"); name != "tmp" {
			out.Mounts = append(out.Mounts, name)
		}
	}
	return out
}
