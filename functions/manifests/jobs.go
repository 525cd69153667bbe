package manifests

import (
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/slipway-dev/slipway/functions/api/v1alpha1"
)

// Argo CD hook annotations, and the waves that order a sync: what the pods
// need first (wave -2: ServiceAccount, ConfigMap, ExternalSecrets, claims),
// then the PreSync jobs (wave -1), then the rest (wave 0).
const (
	AnnotationHook             = "argocd.argoproj.io/hook"
	AnnotationHookDeletePolicy = "argocd.argoproj.io/hook-delete-policy"
	// WavePrerequisites is the sync wave of what the pods need.
	WavePrerequisites = "-2"
	// WavePreSync is the sync wave of the jobs that run before the
	// workloads roll.
	WavePreSync = "-1"
)

// hookAnnotations make a job an Argo CD hook. A PreSync job is a Sync hook
// in the wave before the workloads, not a PreSync hook: Argo CD runs
// PreSync hooks before any wave of the Sync phase, so a PreSync hook could
// not read the Secret that an ExternalSecret of the same sync creates, on
// the very first sync. Every hook Job is deleted before the next sync
// creates it again (a Job's template cannot be changed), and kept until
// then for its logs.
func hookAnnotations(hook string) map[string]string {
	a := map[string]string{AnnotationHookDeletePolicy: "BeforeHookCreation"}
	switch hook {
	case v1alpha1.HookPreSync:
		a[AnnotationHook] = "Sync"
		a[AnnotationSyncWave] = WavePreSync
	case v1alpha1.HookPostSync:
		a[AnnotationHook] = "PostSync"
	}
	return a
}

// jobSpec is the spec of a job's runs: each pod runs once (restartPolicy
// Never, so that a failed pod stays for its logs), retried backoffLimit
// times, within activeDeadlineSeconds.
func (r *renderer) jobSpec(j *v1alpha1.Job) batchv1.JobSpec {
	pod := r.processPod(&j.Container)
	pod.restartPolicy = corev1.RestartPolicyNever
	return batchv1.JobSpec{
		BackoffLimit:            j.BackoffLimit,
		ActiveDeadlineSeconds:   j.ActiveDeadlineSeconds,
		TTLSecondsAfterFinished: j.TTLSecondsAfterFinished,
		Template:                r.podTemplate(pod),
	}
}

// jobs renders a Job for each job with a hook.
func (r *renderer) jobs() []any {
	var out []any
	for i := range r.spec.Jobs {
		j := &r.spec.Jobs[i]
		if j.Hook == "" {
			continue
		}
		meta := r.processMeta(j.Name)
		meta.Annotations = mergeAnnotations(meta.Annotations, hookAnnotations(j.Hook))
		out = append(out, &batchv1.Job{
			TypeMeta:   typeMeta("batch/v1", "Job"),
			ObjectMeta: meta,
			Spec:       r.jobSpec(j),
		})
	}
	return out
}

// cronJobs renders a CronJob for each job with a schedule.
func (r *renderer) cronJobs() []any {
	var out []any
	for i := range r.spec.Jobs {
		j := &r.spec.Jobs[i]
		if j.Schedule == "" {
			continue
		}
		var timeZone *string
		if j.TimeZone != "" {
			timeZone = ptr(j.TimeZone)
		}
		out = append(out, &batchv1.CronJob{
			TypeMeta:   typeMeta("batch/v1", "CronJob"),
			ObjectMeta: r.processMeta(j.Name),
			Spec: batchv1.CronJobSpec{
				Schedule:                j.Schedule,
				TimeZone:                timeZone,
				Suspend:                 j.Suspend,
				ConcurrencyPolicy:       batchv1.ConcurrencyPolicy(j.ConcurrencyPolicy),
				StartingDeadlineSeconds: j.StartingDeadlineSeconds,
				JobTemplate: batchv1.JobTemplateSpec{
					ObjectMeta: metav1.ObjectMeta{Labels: r.processLabels(j.Name)},
					Spec:       r.jobSpec(j),
				},
			},
		})
	}
	return out
}

// mergeAnnotations returns base with extra added.
func mergeAnnotations(base, extra map[string]string) map[string]string {
	if base == nil {
		base = map[string]string{}
	}
	for k, v := range extra {
		base[k] = v
	}
	return base
}
