package v1alpha1

import (
	"maps"
	"net/url"
	pathpkg "path"
	"regexp"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Defaults of the tenants and of Argo CD.
const (
	DefaultPodSecurity         = "restricted"
	DefaultTenantSecretStore   = "secrets"
	DefaultTenantStoreAccount  = "external-secrets"
	DefaultAWSService          = "SecretsManager"
	DefaultVaultPath           = "secret"
	DefaultVaultVersion        = "v2"
	DefaultVaultMountPath      = "kubernetes"
	DefaultArgoCDNamespace     = "argocd"
	DefaultArgoCDProject       = "default"
	DefaultArgoCDRevision      = "HEAD"
	AnnotationArgoCDSourcePath = "slipway.dev/argocd-path"
)

var (
	// awsRegion is the form of an AWS region, such as eu-west-1 or us-gov-east-1.
	awsRegion = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)
	// iamRoleARN is the form of an IAM role's ARN.
	iamRoleARN = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`)
	// scpRepo is the scp-like form of a Git URL: git@github.com:acme/deploy.git.
	scpRepo = regexp.MustCompile(`^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._/~-]+$`)
)

// StoreName is the tenant's SecretStore's name.
func (s *TenantSecretStore) StoreName() string { return or(s.Name, DefaultTenantSecretStore) }

// Account is the ServiceAccount the tenant's SecretStore authenticates as.
func (s *TenantSecretStore) Account() string { return or(s.ServiceAccount, DefaultTenantStoreAccount) }

// Tenant returns the Platform's tenant of a namespace, or nil.
func (p *Platform) Tenant(namespace string) *Tenant {
	if p == nil {
		return nil
	}
	for i := range p.Spec.Tenants {
		if p.Spec.Tenants[i].Namespace == namespace {
			return &p.Spec.Tenants[i]
		}
	}
	return nil
}

// tenants checks spec.tenants.
func (v *validator) tenants(p *Platform, path *field.Path) {
	seen := map[string]int{}
	for i := range p.Spec.Tenants {
		t := &p.Spec.Tenants[i]
		tp := path.Index(i)
		if v.required(tp.Child("namespace"), t.Namespace) {
			v.messages(tp.Child("namespace"), t.Namespace, validation.IsDNS1123Label(t.Namespace))
			if first, dup := seen[t.Namespace]; dup {
				v.add(tp.Child("namespace"), "%q is duplicated (first at %s)", t.Namespace, path.Index(first).Child("namespace"))
			}
			seen[t.Namespace] = i
		}
		if t.PodSecurity != "" {
			enum[Tenant](v, tp.Child("podSecurity"), "podSecurity", t.PodSecurity)
		}
		v.resourceList(t.Quota, tp.Child("quota"))
		for _, name := range slices.Sorted(maps.Keys(t.Quota)) {
			if !quotaResource(string(name)) {
				v.add(tp.Child("quota").Key(string(name)), "%q is not a resource a quota limits, such as requests.cpu, limits.memory, pods or count/deployments.apps", string(name))
			}
		}
		if l := t.Limits; l != nil {
			lp := tp.Child("limits")
			v.resourceList(l.Default, lp.Child("default"))
			v.resourceList(l.DefaultRequest, lp.Child("defaultRequest"))
			v.resourceList(l.Max, lp.Child("max"))
			v.resourceList(l.Min, lp.Child("min"))
			for _, list := range []struct {
				field string
				list  corev1.ResourceList
			}{{"default", l.Default}, {"defaultRequest", l.DefaultRequest}, {"max", l.Max}, {"min", l.Min}} {
				for _, name := range slices.Sorted(maps.Keys(list.list)) {
					if !limitResource(string(name)) {
						v.add(lp.Child(list.field).Key(string(name)), "%q is not a container resource, such as cpu, memory or ephemeral-storage", string(name))
					}
				}
			}
			v.limitOrder(l, lp)
		}
		if s := t.SecretStore; s != nil {
			v.tenantStore(s, t.Namespace, tp.Child("secretStore"))
		}
		for j, repo := range t.SourceRepos {
			if repo != "*" {
				v.repoURL(repo, tp.Child("sourceRepos").Index(j))
			}
		}
		if len(t.SourceRepos) > 0 && p.Spec.ArgoCD == nil {
			v.add(tp.Child("sourceRepos"), "is for the tenant's AppProject, which is rendered with spec.argoCD only")
		}
		if a := p.Spec.ArgoCD; a != nil && len(t.SourceRepos) > 0 && !slices.Contains(t.SourceRepos, a.RepoURL) && !slices.Contains(t.SourceRepos, "*") {
			v.add(tp.Child("sourceRepos"), "must hold spec.argoCD.repoURL %q: the tenant's Applications deploy from it", a.RepoURL)
		}
	}
}

// quotaResources are the resources the API server's quota knows, besides
// the fully qualified ones (count/<resource>, <domain>/<resource>).
var quotaResources = []string{
	"pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
	"services.nodeports", "services.loadbalancers",
	"cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage",
	"limits.cpu", "limits.memory", "limits.ephemeral-storage",
}

func quotaResource(name string) bool {
	return slices.Contains(quotaResources, name) || strings.Contains(name, "/") ||
		strings.HasPrefix(name, "requests.hugepages-") || strings.HasPrefix(name, "limits.hugepages-") || strings.HasPrefix(name, "hugepages-")
}

// limitResource says whether a LimitRange of containers may bound the
// resource, as the API server does.
func limitResource(name string) bool {
	return slices.Contains([]string{"cpu", "memory", "ephemeral-storage"}, name) || strings.Contains(name, "/") || strings.HasPrefix(name, "hugepages-")
}

// limitOrder checks min <= defaultRequest <= default <= max for every
// resource, as the API server does.
func (v *validator) limitOrder(l *TenantLimits, path *field.Path) {
	order := []struct {
		field string
		list  corev1.ResourceList
	}{{"min", l.Min}, {"defaultRequest", l.DefaultRequest}, {"default", l.Default}, {"max", l.Max}}
	for i, lower := range order {
		for _, name := range slices.Sorted(maps.Keys(lower.list)) {
			q := lower.list[name]
			for _, upper := range order[i+1:] {
				if limit, ok := upper.list[name]; ok && q.Cmp(limit) > 0 {
					v.add(path.Child(lower.field).Key(string(name)), "%s is above %s (%s)", q.String(), upper.field, limit.String())
					break
				}
			}
		}
	}
}

func (v *validator) resourceList(list corev1.ResourceList, path *field.Path) {
	for _, name := range slices.Sorted(maps.Keys(list)) {
		v.messages(path.Key(string(name)), string(name), validation.IsQualifiedName(string(name)))
		if q := list[name]; q.Sign() < 0 {
			v.add(path.Key(string(name)), "must not be negative, got %s", q.String())
		}
	}
}

func (v *validator) tenantStore(s *TenantSecretStore, namespace string, path *field.Path) {
	if s.Name != "" {
		v.messages(path.Child("name"), s.Name, validation.IsDNS1123Subdomain(s.Name))
	}
	if s.ServiceAccount != "" {
		v.messages(path.Child("serviceAccount"), s.ServiceAccount, validation.IsDNS1123Subdomain(s.ServiceAccount))
	}
	switch {
	case s.AWS == nil && s.Vault == nil:
		v.add(path, "set aws or vault")
	case s.AWS != nil && s.Vault != nil:
		v.add(path, "set either aws or vault, not both")
	}
	if a := s.AWS; a != nil {
		ap := path.Child("aws")
		if a.Service != "" {
			enum[AWSStore](v, ap.Child("service"), "service", a.Service)
		}
		if v.required(ap.Child("region"), a.Region) && !awsRegion.MatchString(a.Region) {
			v.add(ap.Child("region"), "%q is not an AWS region, such as eu-west-1", a.Region)
		}
		if v.required(ap.Child("roleArn"), a.RoleARN) && !iamRoleARN.MatchString(a.RoleARN) {
			v.add(ap.Child("roleArn"), "%q is not an IAM role ARN, such as arn:aws:iam::123456789012:role/%s-secrets", a.RoleARN, namespace)
		}
	}
	if vs := s.Vault; vs != nil {
		vp := path.Child("vault")
		if v.required(vp.Child("server"), vs.Server) {
			v.httpURL(vs.Server, vp.Child("server"))
		}
		if vs.Version != "" {
			enum[VaultStore](v, vp.Child("version"), "version", vs.Version)
		}
		if vs.Path != "" && (strings.HasPrefix(vs.Path, "/") || strings.Contains(vs.Path, "..")) {
			v.add(vp.Child("path"), "%q must be a relative mount path such as secret", vs.Path)
		}
		if vs.MountPath != "" && (strings.HasPrefix(vs.MountPath, "/") || strings.Contains(vs.MountPath, "..")) {
			v.add(vp.Child("mountPath"), "%q must be a relative mount path such as kubernetes", vs.MountPath)
		}
	}
}

// httpURL checks an http or https URL with a host.
func (v *validator) httpURL(s string, path *field.Path) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.add(path, "%q is not an http or https URL", s)
	}
}

// repoURL checks a Git repository URL as Argo CD takes it.
func (v *validator) repoURL(s string, path *field.Path) {
	if scpRepo.MatchString(s) {
		return
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || !slices.Contains([]string{"https", "http", "ssh", "git"}, u.Scheme) {
		v.add(path, "%q is not a repository URL, such as https://github.com/acme/deploy.git or git@github.com:acme/deploy.git", s)
	}
}

// argoCD checks spec.argoCD.
func (v *validator) argoCD(a *ArgoCD, path *field.Path) {
	if a.Namespace != "" {
		v.messages(path.Child("namespace"), a.Namespace, validation.IsDNS1123Label(a.Namespace))
	}
	if v.required(path.Child("repoURL"), a.RepoURL) {
		v.repoURL(a.RepoURL, path.Child("repoURL"))
	}
	if a.TargetRevision != "" && strings.ContainsAny(a.TargetRevision, " \t\n~^:?*[\\") {
		v.add(path.Child("targetRevision"), "%q is not a Git revision", a.TargetRevision)
	}
	if a.Project != "" {
		v.messages(path.Child("project"), a.Project, validation.IsDNS1123Subdomain(a.Project))
	}
	if p := a.PlatformPath; p != "" && (pathpkg.IsAbs(p) || p != pathpkg.Clean(p) || strings.HasPrefix(p, "../") || p == "..") {
		v.add(path.Child("platformPath"), "%q must be a clean path from the repository's root", p)
	}
	if len(a.Environments) == 0 {
		v.add(path.Child("environments"), "required: the clusters of at least one environment")
	}
	for _, env := range slices.Sorted(maps.Keys(a.Environments)) {
		ep := path.Child("environments").Key(env)
		v.messages(ep, env, validation.IsDNS1123Label(env))
		clusters := a.Environments[env].Clusters
		if len(clusters) == 0 {
			v.add(ep.Child("clusters"), "required: at least one cluster")
		}
		names := map[string]int{}
		for i, c := range clusters {
			cp := ep.Child("clusters").Index(i)
			if v.required(cp.Child("name"), c.Name) {
				v.messages(cp.Child("name"), c.Name, validation.IsDNS1123Label(c.Name))
				if first, dup := names[c.Name]; dup {
					v.add(cp.Child("name"), "%q is duplicated (first at %s)", c.Name, ep.Child("clusters").Index(first).Child("name"))
				}
				names[c.Name] = i
			}
			if v.required(cp.Child("server"), c.Server) {
				v.httpURL(c.Server, cp.Child("server"))
			}
		}
	}
}
