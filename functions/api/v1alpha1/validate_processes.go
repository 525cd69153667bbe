package v1alpha1

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // cron job time zones are checked as the API server checks them

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// reservedVolumes are the names of the volumes slipway adds itself; an
// App volume may not take them ("secret-*" mounts an external secret).
var reservedVolumes = []string{TmpVolumeName, ConfigVolumeName}

// Volume names slipway gives the volumes it adds itself, and the suffix of
// the App's ConfigMap.
const (
	ConfigSuffix     = "-config"
	TmpVolumeName    = "tmp"
	ConfigVolumeName = "config"
)

// workload checks the choice of workload and what each kind cannot do.
func (v *validator) workload(s *AppSpec, spec *field.Path) {
	enum[AppSpec](v, spec.Child("workload"), "workload", s.Workload)
	if len(s.Ports) == 0 {
		for _, feature := range []struct {
			name string
			set  bool
		}{{"routing", s.Routing != nil}, {"monitoring", s.Monitoring != nil}} {
			if feature.set {
				v.add(spec.Child(feature.name), "needs a port, but the App has none (ports: [])")
			}
		}
		if s.Canary != nil && s.Canary.Controller != CanaryControllerNone {
			v.add(spec.Child("canary", "controller"), "%s shifts traffic between Services, but the App has no port (ports: [])", s.Canary.Controller)
		}
	}
	if s.Workload != WorkloadStatefulSet {
		return
	}
	if s.Canary != nil {
		v.add(spec.Child("canary"), "a StatefulSet has no canary: its pods keep their identity and volumes, which a second workload could not share; roll it out with its own rolling update")
	}
	if s.Strategy != nil {
		v.add(spec.Child("strategy"), "applies to a Deployment; a StatefulSet replaces its pods one at a time")
	}
}

// volumes checks the App's volumes: names, one source each, where they are
// mounted, and a storage volume that more than one pod would share.
func (v *validator) volumes(app *App, path *field.Path) {
	s := &app.Spec
	first := map[string]int{}
	for i, vol := range s.Volumes {
		p := path.Index(i)
		if v.required(p.Child("name"), vol.Name) {
			v.messages(p.Child("name"), vol.Name, validation.IsDNS1123Label(vol.Name))
			switch j, dup := first[vol.Name]; {
			case dup:
				v.add(p.Child("name"), "%q is duplicated (first at %s)", vol.Name, path.Index(j))
			case slices.Contains(reservedVolumes, vol.Name) || strings.HasPrefix(vol.Name, "secret-"):
				v.add(p.Child("name"), "%q is the name of a volume slipway adds itself (tmp, config, secret-*): choose another", vol.Name)
			default:
				first[vol.Name] = i
			}
		}
		sources := 0
		for _, set := range []bool{vol.EmptyDir != nil, vol.Secret != nil, vol.ConfigMap != nil, vol.PersistentVolumeClaim != nil, vol.Storage != nil} {
			if set {
				sources++
			}
		}
		if sources != 1 {
			v.add(p, "set exactly one of emptyDir, secret, configMap, persistentVolumeClaim and storage")
		}
		if vol.Secret != nil {
			v.required(p.Child("secret", "secretName"), vol.Secret.SecretName)
		}
		if vol.ConfigMap != nil {
			v.required(p.Child("configMap", "name"), vol.ConfigMap.Name)
		}
		if vol.PersistentVolumeClaim != nil {
			v.required(p.Child("persistentVolumeClaim", "claimName"), vol.PersistentVolumeClaim.ClaimName)
		}
		if st := vol.Storage; st != nil {
			if st.Size == nil {
				v.add(p.Child("storage", "size"), "required, such as 10Gi")
			} else if st.Size.Sign() <= 0 {
				v.add(p.Child("storage", "size"), "must be positive, got %s", st.Size.String())
			}
			for j, mode := range st.AccessModes {
				enum[Storage](v, p.Child("storage", "accessModes").Index(j), "accessModes", string(mode))
			}
			v.sharedStorage(s, vol, p)
		}
		if vol.SubPath != "" {
			v.subPath(app, vol, p.Child("subPath"))
		}
	}
}

// sharedStorage refuses a claim of one node only (ReadWriteOnce) that more
// than one pod of a Deployment would mount: the pods on other nodes would
// never start. Under a StatefulSet each pod has a claim of its own.
func (v *validator) sharedStorage(s *AppSpec, vol Volume, p *field.Path) {
	if s.Workload == WorkloadStatefulSet || !slices.ContainsFunc(vol.Storage.AccessModes, func(m corev1.PersistentVolumeAccessMode) bool {
		return m == corev1.ReadWriteOnce || m == corev1.ReadWriteOncePod
	}) {
		return
	}
	var users []string
	if n := s.maxReplicas(); n > 1 {
		users = append(users, fmt.Sprintf("%d replicas", n))
	}
	if s.Canary != nil && (s.Canary.Image != "" || s.Canary.Controller != CanaryControllerNone) {
		users = append(users, "the canary's pods")
	}
	for _, w := range s.Workers {
		if slices.Contains(w.Mounts, vol.Name) {
			users = append(users, "worker "+w.Name)
		}
	}
	for _, j := range s.Jobs {
		if slices.Contains(j.Mounts, vol.Name) {
			users = append(users, "job "+j.Name)
		}
	}
	if len(users) > 0 {
		v.add(p.Child("storage", "accessModes"), "a ReadWriteOnce volume mounts on one node only, but %s would mount it too: use workload StatefulSet (a volume per pod) or a ReadWriteMany storage class",
			strings.Join(users, ", "))
	}
}

// subPath checks a subPath: relative, inside the volume, and, for a volume
// of a Secret or ConfigMap the App creates, one of its keys.
func (v *validator) subPath(app *App, vol Volume, p *field.Path) {
	s := &app.Spec
	sub := vol.SubPath
	if path.IsAbs(sub) || slices.Contains(strings.Split(sub, "/"), "..") {
		v.add(p, "%q must be a relative path inside the volume, without ..", sub)
		return
	}
	var owner string
	var keys []string
	switch {
	case vol.Secret != nil:
		for _, es := range s.ExternalSecrets {
			if es.Name == vol.Secret.SecretName {
				owner, keys = fmt.Sprintf("Secret %q, which externalSecrets creates", es.Name), es.secretKeys()
			}
		}
	case vol.ConfigMap != nil && s.Config != nil && vol.ConfigMap.Name == app.Name+ConfigSuffix:
		owner, keys = fmt.Sprintf("ConfigMap %q, which config creates", vol.ConfigMap.Name), slices.Sorted(maps.Keys(s.Config.Data))
	}
	if owner != "" && !slices.Contains(keys, strings.Split(sub, "/")[0]) {
		v.add(p, "%q is not a key of %s with keys %s", sub, owner, listOrNone(keys))
	}
}

func (v *validator) envFrom(sources []EnvFrom, path *field.Path) {
	for i, src := range sources {
		p := path.Index(i)
		if (src.ConfigMapRef == nil) == (src.SecretRef == nil) {
			v.add(p, "set exactly one of configMapRef and secretRef")
		}
		for _, ref := range []struct {
			name string
			ref  *EnvFromRef
		}{{"configMapRef", src.ConfigMapRef}, {"secretRef", src.SecretRef}} {
			if ref.ref != nil && v.required(p.Child(ref.name, "name"), ref.ref.Name) {
				v.messages(p.Child(ref.name, "name"), ref.ref.Name, validation.IsDNS1123Subdomain(ref.ref.Name))
			}
		}
		if src.Prefix != "" {
			v.messages(p.Child("prefix"), src.Prefix, validation.IsEnvVarName(src.Prefix))
		}
	}
}

func (v *validator) lifecycle(s *AppSpec, path *field.Path) {
	l := s.Lifecycle
	if l == nil {
		return
	}
	grace := int64(corev1.DefaultTerminationGracePeriodSeconds)
	if s.Pod != nil && s.Pod.TerminationGracePeriodSeconds != nil {
		grace = *s.Pod.TerminationGracePeriodSeconds
	}
	for _, hook := range []struct {
		name    string
		handler *LifecycleHandler
	}{{"postStart", l.PostStart}, {"preStop", l.PreStop}} {
		h, p := hook.handler, path.Child(hook.name)
		if h == nil {
			continue
		}
		handlers := 0
		for _, set := range []bool{h.SleepSeconds != nil, h.Exec != nil, h.HTTPGet != nil, h.TCPSocket != nil, h.Sleep != nil} {
			if set {
				handlers++
			}
		}
		if handlers != 1 {
			v.add(p, "set exactly one of sleepSeconds, exec, httpGet and sleep")
		}
		if h.TCPSocket != nil {
			v.add(p.Child("tcpSocket"), "is deprecated in lifecycle hooks and does nothing: use sleepSeconds or exec")
		}
		if h.Exec != nil && len(h.Exec.Command) == 0 {
			v.add(p.Child("exec", "command"), "required: a hook with no command does nothing")
		}
		if h.HTTPGet != nil {
			v.portRef(h.HTTPGet.Port, s.Ports, p.Child("httpGet", "port"))
		}
		for _, sleep := range []struct {
			path    *field.Path
			seconds *int64
		}{{p.Child("sleepSeconds"), h.SleepSeconds}, {p.Child("sleep", "seconds"), sleepSeconds(h.Sleep)}} {
			if sleep.seconds == nil {
				continue
			}
			if *sleep.seconds < 1 || *sleep.seconds > grace {
				v.add(sleep.path, "must be between 1 and the termination grace period (%d s), got %d", grace, *sleep.seconds)
			}
		}
	}
}

func sleepSeconds(a *corev1.SleepAction) *int64 {
	if a == nil {
		return nil
	}
	return &a.Seconds
}

// strategy checks the Deployment's rolling update: each a number or a
// percentage, not both zero (the update could never make progress).
func (v *validator) strategy(st *Strategy, path *field.Path) {
	if st == nil {
		return
	}
	zero := true
	for _, f := range []struct {
		name  string
		value *intstr.IntOrString
	}{{"maxSurge", st.MaxSurge}, {"maxUnavailable", st.MaxUnavailable}} {
		switch x := *f.value; {
		case x.Type == intstr.Int && x.IntVal < 0:
			v.add(path.Child(f.name), "must not be negative, got %d", x.IntVal)
		case x.Type == intstr.String && !percentage.MatchString(x.StrVal):
			v.add(path.Child(f.name), "%q must be a number or a percentage from 0%% to 100%%", x.StrVal)
		case x.Type == intstr.Int && x.IntVal > 0, x.Type == intstr.String && x.StrVal != "0%":
			zero = false
		}
	}
	if zero {
		v.add(path, "maxSurge and maxUnavailable are both 0: a rolling update could neither add nor remove a pod")
	}
}

// containers checks the init containers and sidecars: names unique in the
// pod (with the main container, named like the App), images, the volumes
// they mount, and a command where they run the App's image.
func (v *validator) containers(app *App, spec *field.Path) {
	s := &app.Spec
	v.strategy(s.Strategy, spec.Child("strategy"))
	names := map[string]string{app.Name: "the main container"}
	for _, list := range []struct {
		name       string
		containers []Container
	}{{"initContainers", s.InitContainers}, {"sidecars", s.Sidecars}} {
		for i, c := range list.containers {
			p := spec.Child(list.name).Index(i)
			if v.required(p.Child("name"), c.Name) {
				v.messages(p.Child("name"), c.Name, validation.IsDNS1123Label(c.Name))
				if first, dup := names[c.Name]; dup {
					v.add(p.Child("name"), "%q is duplicated: %s has that name", c.Name, first)
				} else {
					names[c.Name] = p.String()
				}
			}
			v.image(c.Image, p.Child("image"), true)
			if c.Image == s.Image && len(c.Command) == 0 {
				v.add(p.Child("command"), "required with the App's image: without one the container would run the App itself")
			}
			v.env(c.Env, p.Child("env"), s.ExternalSecrets)
			v.resources(c.Resources, p.Child("resources"))
			v.mounts(s, c.Mounts, p.Child("mounts"))
		}
	}
}

// mounts checks a container's list of App volumes to mount.
func (v *validator) mounts(s *AppSpec, mounts []string, path *field.Path) {
	seen := map[string]bool{}
	for i, name := range mounts {
		switch {
		case seen[name]:
			v.add(path.Index(i), "%q is duplicated", name)
		case !slices.ContainsFunc(s.Volumes, func(vol Volume) bool { return vol.Name == name }):
			v.add(path.Index(i), "%q is not one of the App's volumes; they are %s", name, listOrNone(s.volumeNames()))
		}
		seen[name] = true
	}
}

func (s *AppSpec) volumeNames() []string {
	var names []string
	for _, vol := range s.Volumes {
		if !slices.Contains(names, vol.Name) {
			names = append(names, vol.Name)
		}
	}
	return names
}

// process checks what workers and jobs have alike. The objects of a
// process are named "<app>-<process>", which must stay a label (63
// characters) as the pods' app label, or less (a CronJob's name, which its
// Jobs extend).
func (v *validator) process(app *App, p *Container, path *field.Path, maxName int, seen map[string]string) {
	s := &app.Spec
	if v.required(path.Child("name"), p.Name) {
		v.messages(path.Child("name"), p.Name, validation.IsDNS1123Label(p.Name))
		if n := len(app.Name) + 1 + len(p.Name); n > maxName {
			v.add(path.Child("name"), "makes the object name %q %d characters long; at most %d are allowed", app.Name+"-"+p.Name, n, maxName)
		}
		if first, dup := seen[p.Name]; dup {
			v.add(path.Child("name"), "%q is duplicated: %s has that name, and both would be named %q", p.Name, first, app.Name+"-"+p.Name)
		} else {
			seen[p.Name] = path.String()
		}
	}
	for _, list := range []struct {
		name       string
		containers []Container
	}{{"initContainers", s.InitContainers}, {"sidecars", s.Sidecars}} {
		for i, c := range list.containers {
			if c.Name == p.Name && p.Name != "" {
				// The process's container is named after it, in a pod that
				// runs the App's init containers and sidecars too.
				v.add(path.Child("name"), "%q is the name of spec.%s[%d], a container of the same pod", p.Name, list.name, i)
			}
		}
	}
	v.image(p.Image, path.Child("image"), true)
	if p.Image == s.Image && len(p.Command) == 0 {
		v.add(path.Child("command"), "required with the App's image: without one the process would run the App itself")
	}
	v.env(p.Env, path.Child("env"), s.ExternalSecrets)
	v.resources(p.Resources, path.Child("resources"))
	v.mounts(s, p.Mounts, path.Child("mounts"))
}

// processNames holds the names of the processes, which name objects of
// the same namespace: a worker and a job of the same name would clash
// with each other, and "canary" with the canary Deployment.
func processNames() map[string]string {
	return map[string]string{"canary": "the canary Deployment", "headless": "the headless Service", "config": "the ConfigMap",
		"stable": "the stable Service"}
}

func (v *validator) workers(app *App, path *field.Path) {
	seen := processNames()
	for _, job := range app.Spec.Jobs {
		if job.Name != "" {
			seen[job.Name] = "a job"
		}
	}
	for i := range app.Spec.Workers {
		w, p := &app.Spec.Workers[i], path.Index(i)
		v.process(app, &w.Container, p, validation.DNS1123LabelMaxLength, seen)
		v.nonNegative(w.Replicas, p.Child("replicas"))
		v.autoscaling(w.Autoscaling, w.Resources, p.Child("resources"), p.Child("autoscaling"))
		v.disruptionBudget(w.DisruptionBudget, w.Replicas, w.Autoscaling, p.Child("disruptionBudget"))
	}
}

// maxCronJobName keeps the names of a CronJob's Jobs (its name and an
// 11-character suffix) labels.
const maxCronJobName = 52

func (v *validator) jobs(app *App, path *field.Path) {
	seen := processNames()
	for i := range app.Spec.Jobs {
		j, p := &app.Spec.Jobs[i], path.Index(i)
		maxName := validation.DNS1123LabelMaxLength
		if j.Schedule != "" {
			maxName = maxCronJobName
		}
		v.process(app, &j.Container, p, maxName, seen)
		switch {
		case j.Hook != "" && j.Schedule != "":
			v.add(p, "set either hook (run with every sync) or schedule (a CronJob), not both")
		case j.Hook == "" && j.Schedule == "":
			v.add(p, "set hook (run with every sync) or schedule (a CronJob)")
		case j.Hook != "":
			enum[Job](v, p.Child("hook"), "hook", j.Hook)
		default:
			v.schedule(j.Schedule, p.Child("schedule"))
		}
		if j.Schedule == "" {
			for _, f := range []struct {
				name string
				set  bool
			}{{"timeZone", j.TimeZone != ""}, {"suspend", j.Suspend != nil}, {"concurrencyPolicy", j.ConcurrencyPolicy != ""}, {"startingDeadlineSeconds", j.StartingDeadlineSeconds != nil}} {
				if f.set {
					v.add(p.Child(f.name), "applies to a scheduled job (a CronJob) only")
				}
			}
		} else {
			if j.TimeZone != "" {
				if _, err := time.LoadLocation(j.TimeZone); err != nil || strings.EqualFold(j.TimeZone, "local") {
					v.add(p.Child("timeZone"), "%q is not a time zone of the tz database, such as Asia/Tokyo or UTC", j.TimeZone)
				}
			}
			enum[Job](v, p.Child("concurrencyPolicy"), "concurrencyPolicy", j.ConcurrencyPolicy)
			if j.TTLSecondsAfterFinished != nil {
				v.add(p.Child("ttlSecondsAfterFinished"), "applies to a hook's Job; a CronJob keeps its last runs and removes older ones itself")
			}
			if n := j.StartingDeadlineSeconds; n != nil && *n < 10 {
				// The controller checks schedules every 10 s: less could
				// skip every run.
				v.add(p.Child("startingDeadlineSeconds"), "must be at least 10 (the CronJob controller looks every 10 s), got %d", *n)
			}
		}
		if n := j.BackoffLimit; *n < 0 {
			v.add(p.Child("backoffLimit"), "must not be negative, got %d", *n)
		}
		if n := j.ActiveDeadlineSeconds; *n < 1 {
			v.add(p.Child("activeDeadlineSeconds"), "must be positive, got %d", *n)
		}
		if n := j.TTLSecondsAfterFinished; n != nil && *n < 0 {
			v.add(p.Child("ttlSecondsAfterFinished"), "must not be negative, got %d", *n)
		}
	}
}

// cronMacros are the schedules the CronJob controller accepts by name.
var cronMacros = []string{"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}

// cronFields are the five fields of a schedule, with their ranges.
var cronFields = []struct {
	name     string
	min, max int
	names    []string
}{
	{"minute", 0, 59, nil},
	{"hour", 0, 23, nil},
	{"day of month", 1, 31, nil},
	{"month", 1, 12, []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	{"day of week", 0, 7, []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// schedule checks a cron schedule as the CronJob controller parses it:
// five fields, or one of the macros; time zones go in timeZone.
func (v *validator) schedule(schedule string, path *field.Path) {
	if strings.HasPrefix(schedule, "@") {
		if !slices.Contains(cronMacros, schedule) {
			v.add(path, "%q is not a schedule macro: use one of %s, or five fields", schedule, strings.Join(cronMacros, ", "))
		}
		return
	}
	if strings.Contains(schedule, "TZ=") {
		v.add(path, "%q: set the time zone in timeZone, not in the schedule", schedule)
		return
	}
	fields := strings.Fields(schedule)
	if len(fields) != len(cronFields) {
		v.add(path, "%q has %d fields; a schedule has 5: minute hour day-of-month month day-of-week, such as \"0 3 * * *\"", schedule, len(fields))
		return
	}
	for i, f := range fields {
		if msg := cronField(f, cronFields[i].min, cronFields[i].max, cronFields[i].names); msg != "" {
			v.add(path, "%q: the %s field %q %s", schedule, cronFields[i].name, f, msg)
		}
	}
}

// cronField checks one field: lists of *, ?, values, ranges and steps.
func cronField(field string, lo, hi int, names []string) string {
	value := func(s string) (int, bool) {
		if i := slices.Index(names, strings.ToLower(s)); i >= 0 {
			return i + lo, true
		}
		var n int
		if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s {
			return 0, false
		}
		return n, n >= lo && n <= hi
	}
	for _, part := range strings.Split(field, ",") {
		rng, step, hasStep := strings.Cut(part, "/")
		if hasStep {
			if n, err := fmt.Sscanf(step, "%d", new(int)); n != 1 || err != nil || step == "0" {
				return fmt.Sprintf("has the step %q: it must be a positive number", step)
			}
		}
		if rng == "*" || rng == "?" {
			continue
		}
		from, to, isRange := strings.Cut(rng, "-")
		a, ok := value(from)
		if !ok {
			return fmt.Sprintf("must hold values from %d to %d", lo, hi)
		}
		if isRange {
			b, ok := value(to)
			if !ok || b < a {
				return fmt.Sprintf("has a range that is not from %d to %d, low to high", lo, hi)
			}
		}
	}
	return ""
}

// configRead refuses a config that no pod reads: not mounted, not exposed as
// env, and named by no env var, envFrom or volume. Its ConfigMap would
// still roll the pods at every change.
func (v *validator) configRead(app *App, path *field.Path) {
	s := &app.Spec
	c := s.Config
	if c == nil || c.MountPath != "" || c.Env {
		return
	}
	name := app.Name + ConfigSuffix
	reads := slices.ContainsFunc(s.Volumes, func(vol Volume) bool { return vol.ConfigMap != nil && vol.ConfigMap.Name == name }) ||
		slices.ContainsFunc(s.EnvFrom, func(e EnvFrom) bool { return e.ConfigMapRef != nil && e.ConfigMapRef.Name == name })
	envs := [][]EnvVar{s.Env}
	for _, w := range s.Workers {
		envs = append(envs, w.Env)
	}
	for _, j := range s.Jobs {
		envs = append(envs, j.Env)
	}
	for _, c := range append(slices.Clone(s.InitContainers), s.Sidecars...) {
		envs = append(envs, c.Env)
	}
	for _, env := range envs {
		reads = reads || slices.ContainsFunc(env, func(e EnvVar) bool { return e.ConfigMapKeyRef != nil && e.ConfigMapKeyRef.Name == name })
	}
	if !reads {
		v.add(path, "no pod reads it: set mountPath (files), env: true (variables), or both; or refer to ConfigMap %q from env, envFrom or a volume", name)
	}
}
