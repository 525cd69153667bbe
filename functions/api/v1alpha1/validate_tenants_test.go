package v1alpha1

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

func TestTenantStore(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store TenantSecretStore
		err   string
	}{
		{"aws", TenantSecretStore{AWS: &AWSStore{Region: "eu-west-1", RoleARN: "arn:aws:iam::123456789012:role/payments-secrets"}}, ""},
		{"aws gov", TenantSecretStore{AWS: &AWSStore{Service: "ParameterStore", Region: "us-gov-east-1", RoleARN: "arn:aws-us-gov:iam::123456789012:role/team/x"}}, ""},
		{"vault", TenantSecretStore{Vault: &VaultStore{Server: "https://vault.example.com:8200", Version: "v1"}}, ""},
		{"neither", TenantSecretStore{}, "set aws or vault"},
		{"both", TenantSecretStore{AWS: &AWSStore{Region: "eu-west-1", RoleARN: "arn:aws:iam::123456789012:role/x"}, Vault: &VaultStore{Server: "https://v"}}, "not both"},
		{"region", TenantSecretStore{AWS: &AWSStore{Region: "EU-WEST-1", RoleARN: "arn:aws:iam::123456789012:role/x"}}, "not an AWS region"},
		{"no region", TenantSecretStore{AWS: &AWSStore{RoleARN: "arn:aws:iam::123456789012:role/x"}}, "region: required"},
		{"user arn", TenantSecretStore{AWS: &AWSStore{Region: "eu-west-1", RoleARN: "arn:aws:iam::123456789012:user/x"}}, "not an IAM role ARN"},
		{"short account", TenantSecretStore{AWS: &AWSStore{Region: "eu-west-1", RoleARN: "arn:aws:iam::1234:role/x"}}, "not an IAM role ARN"},
		{"service", TenantSecretStore{AWS: &AWSStore{Service: "KMS", Region: "eu-west-1", RoleARN: "arn:aws:iam::123456789012:role/x"}}, "unsupported value"},
		{"vault url", TenantSecretStore{Vault: &VaultStore{Server: "vault:8200"}}, "not an http or https URL"},
		{"vault path", TenantSecretStore{Vault: &VaultStore{Server: "https://v", Path: "/secret"}}, "relative mount path"},
		{"vault version", TenantSecretStore{Vault: &VaultStore{Server: "https://v", Version: "v3"}}, "unsupported value"},
		{"name", TenantSecretStore{Name: "Bad_Name", Vault: &VaultStore{Server: "https://v"}}, "RFC 1123"},
	} {
		var v validator
		v.tenantStore(&tc.store, "payments", field.NewPath("secretStore"))
		check(t, tc.name, v.errs, tc.err)
	}
}

func TestArgoCD(t *testing.T) {
	valid := func() ArgoCD {
		return ArgoCD{RepoURL: "https://github.com/acme/deploy.git", Environments: map[string]ArgoCDEnvironment{
			"prod": {Clusters: []ArgoCDCluster{{Name: "eu1", Server: "https://eu1.example.com"}}},
		}}
	}
	for _, tc := range []struct {
		name   string
		change func(*ArgoCD)
		err    string
	}{
		{"valid", func(*ArgoCD) {}, ""},
		{"scp repo", func(a *ArgoCD) { a.RepoURL = "git@github.com:acme/deploy.git" }, ""},
		{"ssh repo", func(a *ArgoCD) { a.RepoURL = "ssh://git@github.com/acme/deploy.git" }, ""},
		{"no repo", func(a *ArgoCD) { a.RepoURL = "" }, "repoURL: required"},
		{"bare repo", func(a *ArgoCD) { a.RepoURL = "github.com/acme/deploy" }, "not a repository URL"},
		{"revision", func(a *ArgoCD) { a.TargetRevision = "main branch" }, "not a Git revision"},
		{"platform path up", func(a *ArgoCD) { a.PlatformPath = "../platform.yaml" }, "clean path"},
		{"platform path absolute", func(a *ArgoCD) { a.PlatformPath = "/platform.yaml" }, "clean path"},
		{"no environments", func(a *ArgoCD) { a.Environments = nil }, "at least one environment"},
		{"no clusters", func(a *ArgoCD) { a.Environments["prod"] = ArgoCDEnvironment{} }, "at least one cluster"},
		{"environment name", func(a *ArgoCD) { a.Environments["Prod"] = a.Environments["prod"] }, "RFC 1123"},
		{"cluster server", func(a *ArgoCD) {
			a.Environments["prod"] = ArgoCDEnvironment{Clusters: []ArgoCDCluster{{Name: "eu1", Server: "eu1.example.com"}}}
		}, "not an http or https URL"},
		{"duplicate cluster", func(a *ArgoCD) {
			c := a.Environments["prod"].Clusters[0]
			a.Environments["prod"] = ArgoCDEnvironment{Clusters: []ArgoCDCluster{c, c}}
		}, "is duplicated"},
	} {
		a := valid()
		tc.change(&a)
		var v validator
		v.argoCD(&a, field.NewPath("argoCD"))
		check(t, tc.name, v.errs, tc.err)
	}
}

// check wants no error when want is empty, else one whose message has want.
func check(t *testing.T, name string, errs []FieldError, want string) {
	t.Helper()
	switch {
	case want == "" && len(errs) > 0:
		t.Errorf("%s: unexpected %v", name, errs)
	case want != "" && (len(errs) == 0 || !strings.Contains(errs[0].Error(), want)):
		t.Errorf("%s: want an error with %q, got %v", name, want, errs)
	}
}

func TestLimitOrder(t *testing.T) {
	q := func(s string) corev1.ResourceList {
		return corev1.ResourceList{corev1.ResourceMemory: resource.MustParse(s)}
	}
	for _, tc := range []struct {
		name   string
		limits TenantLimits
		err    string
	}{
		{"ordered", TenantLimits{Min: q("64Mi"), DefaultRequest: q("128Mi"), Default: q("256Mi"), Max: q("1Gi")}, ""},
		{"equal", TenantLimits{DefaultRequest: q("1Gi"), Default: q("1Gi"), Max: q("1Gi")}, ""},
		{"default above max", TenantLimits{Default: q("2Gi"), Max: q("1Gi")}, "limits.default[memory]: 2Gi is above max (1Gi)"},
		{"request above default", TenantLimits{DefaultRequest: q("512Mi"), Default: q("256Mi")}, "limits.defaultRequest[memory]: 512Mi is above default (256Mi)"},
		{"min above request", TenantLimits{Min: q("512Mi"), DefaultRequest: q("256Mi")}, "limits.min[memory]: 512Mi is above defaultRequest (256Mi)"},
	} {
		var v validator
		v.limitOrder(&tc.limits, field.NewPath("limits"))
		check(t, tc.name, v.errs, tc.err)
	}
}
