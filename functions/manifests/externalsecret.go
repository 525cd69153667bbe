package manifests

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ExternalSecret is the subset of the External Secrets Operator
// ExternalSecret (external-secrets.io/v1) that slipway renders.
type ExternalSecret struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              ExternalSecretSpec `json:"spec"`
}

// ExternalSecretSpec is the spec of an ExternalSecret.
type ExternalSecretSpec struct {
	RefreshInterval string               `json:"refreshInterval"`
	SecretStoreRef  SecretStoreRef       `json:"secretStoreRef"`
	Target          ExternalSecretTarget `json:"target"`
	Data            []ExternalSecretData `json:"data"`
}

// SecretStoreRef names the store to read from.
type SecretStoreRef struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// ExternalSecretTarget describes the Secret to create.
type ExternalSecretTarget struct {
	Name           string                  `json:"name"`
	CreationPolicy string                  `json:"creationPolicy"`
	DeletionPolicy string                  `json:"deletionPolicy"`
	Template       *ExternalSecretTemplate `json:"template,omitempty"`
}

// ExternalSecretTemplate builds the Secret's data from the fetched values.
type ExternalSecretTemplate struct {
	EngineVersion string            `json:"engineVersion"`
	MergePolicy   string            `json:"mergePolicy"`
	Data          map[string]string `json:"data"`
}

// ExternalSecretData is one fetched value.
type ExternalSecretData struct {
	SecretKey string          `json:"secretKey"`
	RemoteRef RemoteReference `json:"remoteRef"`
}

// RemoteReference locates a value in the store. The strategy fields are the
// ones the ESO API server defaults; rendering them keeps Argo CD from showing
// the object as permanently out of sync.
type RemoteReference struct {
	Key                string `json:"key"`
	Property           string `json:"property,omitempty"`
	Version            string `json:"version,omitempty"`
	ConversionStrategy string `json:"conversionStrategy"`
	DecodingStrategy   string `json:"decodingStrategy"`
	MetadataPolicy     string `json:"metadataPolicy"`
}

// externalSecrets renders one ExternalSecret per entry; their sync wave
// (see Kinds) has Argo CD create the Secrets, and wait for them, before the
// pods.
func (r *renderer) externalSecrets() []any {
	out := make([]any, 0, len(r.spec.ExternalSecrets))
	for _, es := range r.spec.ExternalSecrets {
		meta := r.meta(es.Name)
		obj := &ExternalSecret{
			TypeMeta:   typeMeta(r.versions.ExternalSecrets, "ExternalSecret"),
			ObjectMeta: meta,
			Spec: ExternalSecretSpec{
				RefreshInterval: es.RefreshInterval,
				SecretStoreRef:  SecretStoreRef{Name: es.StoreRef.Name, Kind: es.StoreRef.Kind},
				Target: ExternalSecretTarget{
					Name:           es.Name,
					CreationPolicy: es.CreationPolicy,
					DeletionPolicy: es.DeletionPolicy,
				},
			},
		}
		if len(es.Template) > 0 {
			obj.Spec.Target.Template = &ExternalSecretTemplate{EngineVersion: "v2", MergePolicy: "Replace", Data: es.Template}
		}
		for _, d := range es.Data {
			obj.Spec.Data = append(obj.Spec.Data, ExternalSecretData{
				SecretKey: d.SecretKey,
				RemoteRef: RemoteReference{
					Key:                d.RemoteRef.Key,
					Property:           d.RemoteRef.Property,
					Version:            d.RemoteRef.Version,
					ConversionStrategy: "Default",
					DecodingStrategy:   "None",
					MetadataPolicy:     "None",
				},
			})
		}
		out = append(out, obj)
	}
	return out
}
