package v1alpha1

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Built-in defaults, the last step of the precedence chain.
const (
	DefaultPortName           = "http"
	DefaultPort               = 8080
	DefaultRefreshInterval    = "1h"
	DefaultCreationPolicy     = "Owner"
	DefaultDeletionPolicy     = "Retain"
	DefaultStoreKind          = "SecretStore"
	DefaultIstioAPIVersion    = "networking.istio.io/v1"
	DefaultExternalSecretsAPI = "external-secrets.io/v1"
	DefaultCPUTarget          = 80
	DefaultMetricsPath        = "/metrics"
	DefaultScrapeInterval     = "30s"
	IngressAPIIngress         = "Ingress"
	IngressAPIHTTPRoute       = "HTTPRoute"
	SeccompRuntimeDefault     = "RuntimeDefault"
	WorkloadDeployment        = "Deployment"
	WorkloadStatefulSet       = "StatefulSet"
	DefaultJobBackoffLimit    = 2
	DefaultJobDeadline        = 3600
	DefaultHookJobTTL         = 86400
	DefaultConcurrencyPolicy  = "Forbid"
	DefaultSLOWindow          = "30d"
	DefaultStartingDeadline   = 300
)

// DefaultGatewaySelector selects Istio's default ingress gateway.
func DefaultGatewaySelector() map[string]string { return map[string]string{"istio": "ingressgateway"} }

// setDefaults fills every field the App leaves unset with its built-in
// default, so that rendering reads concrete values only.
func setDefaults(app *App) {
	s := &app.Spec
	if s.Replicas == nil && s.Autoscaling == nil {
		s.Replicas = ptr[int32](1)
	}
	if s.Ports == nil { // an explicit empty list means no ports
		s.Ports = []Port{{Name: DefaultPortName, Port: DefaultPort}}
	}
	s.Workload = or(s.Workload, WorkloadDeployment)
	if s.Strategy == nil && s.Workload == WorkloadDeployment {
		s.Strategy = &Strategy{}
	}
	if st := s.Strategy; st != nil {
		st.MaxSurge = orPtr(st.MaxSurge, intstr.FromString("25%"))
		st.MaxUnavailable = orPtr(st.MaxUnavailable, intstr.FromInt32(0))
	}
	for i := range s.Volumes {
		vol := &s.Volumes[i]
		vol.ReadOnly = orPtr(vol.ReadOnly, vol.Secret != nil || vol.ConfigMap != nil)
		if st := vol.Storage; st != nil && len(st.AccessModes) == 0 {
			st.AccessModes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
		}
	}
	for i := range s.InitContainers {
		s.InitContainers[i].inherit(s)
	}
	for i := range s.Sidecars {
		s.Sidecars[i].Image = or(s.Sidecars[i].Image, s.Image)
	}
	for i := range s.Workers {
		w := &s.Workers[i]
		w.inherit(s)
		if w.Replicas == nil && w.Autoscaling == nil {
			w.Replicas = ptr[int32](1)
		}
		setAutoscalingDefaults(w.Autoscaling)
		if w.DisruptionBudget == nil && maxReplicas(w.Replicas, w.Autoscaling) > 1 {
			w.DisruptionBudget = &DisruptionBudget{MaxUnavailable: ptr(intstr.FromInt32(1))}
		}
	}
	for i := range s.Jobs {
		j := &s.Jobs[i]
		j.inherit(s)
		j.BackoffLimit = orPtr(j.BackoffLimit, DefaultJobBackoffLimit)
		j.ActiveDeadlineSeconds = orPtr(j.ActiveDeadlineSeconds, DefaultJobDeadline)
		if j.Schedule != "" {
			j.ConcurrencyPolicy = or(j.ConcurrencyPolicy, DefaultConcurrencyPolicy)
			j.StartingDeadlineSeconds = orPtr(j.StartingDeadlineSeconds, DefaultStartingDeadline)
		} else if j.TTLSecondsAfterFinished == nil {
			j.TTLSecondsAfterFinished = ptr[int32](DefaultHookJobTTL)
		}
	}
	for i := range s.Ports {
		if s.Ports[i].Protocol == "" {
			s.Ports[i].Protocol = corev1.ProtocolTCP
		}
	}
	if r := s.Routing; r != nil && r.Ingress == nil {
		if r.Gateway == nil {
			r.Gateway = &Gateway{}
		}
		if r.Gateway.Create == nil {
			r.Gateway.Create = ptr(r.Gateway.Name == "")
		}
		if r.Gateway.Name == "" && *r.Gateway.Create && len(r.Gateway.Selector) == 0 {
			r.Gateway.Selector = DefaultGatewaySelector()
		}
	}
	if r := s.Routing; r != nil && r.Ingress != nil && r.Ingress.API == "" {
		r.Ingress.API = IngressAPIIngress
	}
	if r := s.Routing; r != nil && r.Mesh == nil {
		// Callers in the mesh see the canary as the edge does, unless the
		// routing is not Istio's: a mesh HTTPRoute needs a mesh that
		// implements the Gateway API's, which is opted into.
		r.Mesh = ptr(r.Ingress == nil)
	}
	if c := s.Canary; c != nil {
		if c.Weight == nil && c.Controller != CanaryControllerFlagger {
			c.Weight = ptr[int32](0)
		}
		if c.Replicas == nil && c.Controller == CanaryControllerNone && c.Image != "" {
			c.Replicas = ptr[int32](1)
		}
		if c.Controller == CanaryControllerFlagger {
			if c.Analysis == nil {
				c.Analysis = &CanaryAnalysis{}
			}
			a := c.Analysis
			a.Interval = or(a.Interval, "1m")
			a.Threshold = orPtr(a.Threshold, 5)
			a.MaxWeight = orPtr(a.MaxWeight, 50)
			a.StepWeight = orPtr(a.StepWeight, 10)
		}
	}
	for i := range s.ExternalSecrets {
		es := &s.ExternalSecrets[i]
		if es.StoreRef != nil && es.StoreRef.Kind == "" {
			es.StoreRef.Kind = DefaultStoreKind
		}
		es.RefreshInterval = or(es.RefreshInterval, DefaultRefreshInterval)
		es.CreationPolicy = or(es.CreationPolicy, DefaultCreationPolicy)
		es.DeletionPolicy = or(es.DeletionPolicy, DefaultDeletionPolicy)
	}
	setAutoscalingDefaults(s.Autoscaling)
	if s.DisruptionBudget == nil && s.maxReplicas() > 1 {
		s.DisruptionBudget = &DisruptionBudget{MaxUnavailable: ptr(intstr.FromInt32(1))}
	}
	if sa := s.ServiceAccount; sa != nil {
		sa.Create = orPtr(sa.Create, true)
		sa.Name = or(sa.Name, app.Name)
		sa.AutomountToken = orPtr(sa.AutomountToken, false)
	}
	if p := s.Probes; p != nil {
		for _, probe := range []*Probe{p.Readiness, p.Liveness, p.Startup} {
			if probe != nil && probe.Path != "" && probe.Port == nil && len(s.Ports) > 0 {
				probe.Port = ptr(intstr.FromString(s.Ports[0].Name))
			}
		}
	}
	if s.Security == nil {
		s.Security = &Security{}
	}
	sec := s.Security
	sec.RunAsNonRoot = orPtr(sec.RunAsNonRoot, true)
	sec.ReadOnlyRootFilesystem = orPtr(sec.ReadOnlyRootFilesystem, true)
	sec.AllowPrivilegeEscalation = orPtr(sec.AllowPrivilegeEscalation, false)
	sec.SeccompProfile = or(sec.SeccompProfile, SeccompRuntimeDefault)
	if s.Service == nil {
		s.Service = &Service{}
	}
	if s.Service.Type == "" {
		s.Service.Type = corev1.ServiceTypeClusterIP
	}
	if slo := s.SLO; slo != nil {
		if a := slo.Availability; a != nil {
			a.Window = or(a.Window, DefaultSLOWindow)
		}
		if l := slo.Latency; l != nil {
			l.Window = or(l.Window, DefaultSLOWindow)
		}
	}
	if m := s.Monitoring; m != nil {
		if len(s.Ports) > 0 {
			m.Port = or(m.Port, s.Ports[0].Name)
		}
		m.Path = or(m.Path, DefaultMetricsPath)
		m.Interval = or(m.Interval, DefaultScrapeInterval)
	}
}

func setAutoscalingDefaults(a *Autoscaling) {
	if a == nil {
		return
	}
	a.MinReplicas = orPtr(a.MinReplicas, 1)
	if a.TargetCPUUtilizationPercentage == nil && a.TargetMemoryUtilizationPercentage == nil && len(a.Metrics) == 0 && len(a.Triggers) == 0 {
		a.TargetCPUUtilizationPercentage = ptr[int32](DefaultCPUTarget)
	}
}

// inherit gives an init container, a worker or a job what it takes from the
// App when it sets nothing of its own: the image (the stable one) and the
// resources.
func (p *Container) inherit(s *AppSpec) {
	p.Image = or(p.Image, s.Image)
	if p.Resources == nil {
		p.Resources = s.Resources
	}
}

// maxReplicas is the most stable pods the app may run.
func (s *AppSpec) maxReplicas() int32 { return maxReplicas(s.Replicas, s.Autoscaling) }

func maxReplicas(replicas *int32, a *Autoscaling) int32 {
	if a != nil {
		return a.MaxReplicas
	}
	if replicas != nil {
		return *replicas
	}
	return 1
}

func ptr[T any](v T) *T { return &v }

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func orPtr[T any](v *T, def T) *T {
	if v == nil {
		return &def
	}
	return v
}
