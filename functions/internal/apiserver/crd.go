package apiserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsinstall "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/install"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apiextensions-apiserver/pkg/registry/customresource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured/unstructuredscheme"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/apiserver/pkg/registry/rest"

	"github.com/slipway-dev/slipway/functions/internal/oracle"
	"github.com/slipway-dev/slipway/functions/manifests"
)

// CRDSources are the CRDs of the schema oracle, and the kinds that sit in
// other files of the same projects and that rendered objects may refer to.
var CRDSources = slices.Concat(oracle.CRDSources(), []manifests.CRDSource{
	{Module: "github.com/argoproj/argo-rollouts", Version: "v1.10.1", Path: "manifests/crds/analysis-template-crd.yaml"},
})

// customResource is one served version of a CRD, set up as the
// apiextensions-apiserver serves it.
type customResource struct {
	structural *structuralschema.Structural
	strategy   rest.RESTCreateStrategy
}

// loadCRDs reads the CRDs from the module cache (downloading the modules
// when needed) and sets up every served version.
func loadCRDs(sources []manifests.CRDSource) (map[schema.GroupVersionKind]*customResource, error) {
	scheme := runtime.NewScheme()
	apiextensionsinstall.Install(scheme)
	out := map[schema.GroupVersionKind]*customResource{}
	for _, src := range sources {
		dir, err := oracle.ModuleDir(src.Module, src.Version)
		if err != nil {
			return nil, err
		}
		file := filepath.Join(dir, filepath.FromSlash(src.Path))
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		n := 0
		dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
		for {
			var crd apiextensionsv1.CustomResourceDefinition
			if err := dec.Decode(&crd); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
			if crd.Kind != "CustomResourceDefinition" {
				continue
			}
			// The server defaults a CRD when it is created; its schema is
			// served as defaulted.
			scheme.Default(&crd)
			for _, v := range crd.Spec.Versions {
				if !v.Served || v.Schema == nil {
					continue
				}
				cr, err := newCustomResource(&crd, v)
				if err != nil {
					return nil, fmt.Errorf("%s: %s %s: %w", file, crd.Name, v.Name, err)
				}
				out[schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}] = cr
				n++
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: no served CustomResourceDefinition version", file)
		}
	}
	return out, nil
}

// newCustomResource follows the apiextensions-apiserver's CRD handler:
// the internal schema, its structural form with the defaults pruned, the
// OpenAPI schema validator and the custom resource strategy (which compiles
// the CEL rules).
func newCustomResource(crd *apiextensionsv1.CustomResourceDefinition, v apiextensionsv1.CustomResourceDefinitionVersion) (*customResource, error) {
	var validation apiextensions.CustomResourceValidation
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v.Schema, &validation, nil); err != nil {
		return nil, err
	}
	structural, err := structuralschema.NewStructural(validation.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	structural = structural.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(structural); err != nil {
		return nil, err
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(validation.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	var status *apiextensions.CustomResourceSubresourceStatus
	var statusValidator apiservervalidation.SchemaValidator
	var scale *apiextensions.CustomResourceSubresourceScale
	if sub := v.Subresources; sub != nil {
		if sub.Status != nil {
			status = &apiextensions.CustomResourceSubresourceStatus{}
			if s, ok := validation.OpenAPIV3Schema.Properties["status"]; ok {
				if statusValidator, _, err = apiservervalidation.NewSchemaValidator(&s); err != nil {
					return nil, err
				}
			}
		}
		if sub.Scale != nil {
			scale = &apiextensions.CustomResourceSubresourceScale{}
			if err := apiextensionsv1.Convert_v1_CustomResourceSubresourceScale_To_apiextensions_CustomResourceSubresourceScale(sub.Scale, scale, nil); err != nil {
				return nil, err
			}
		}
	}
	kind := schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}
	strategy := customresource.NewStrategy(unstructuredscheme.NewUnstructuredObjectTyper(),
		crd.Spec.Scope == apiextensionsv1.NamespaceScoped, kind, validator, statusValidator,
		structural, status, scale, v.SelectableFields)
	return &customResource{structural: structural, strategy: strategy}, nil
}

// validate decodes a custom resource as the server does under strict field
// validation (a field the schema does not know, in the body or the
// metadata, is refused rather than pruned), applies the schema's defaults
// and runs the create strategy: ObjectMeta, the OpenAPI schema, list
// types, embedded objects and the CEL rules.
func (cr *customResource) validate(data []byte) []string {
	var content map[string]any
	msgs, err := decodeStrict(data, &content)
	if err != nil {
		return append(msgs, err.Error())
	}
	u := &unstructured.Unstructured{}
	// Decode again as unstructured does: integers as int64, the rest as
	// float64, which the schema validator and CEL expect.
	if err := u.UnmarshalJSON(data); err != nil {
		return append(msgs, err.Error())
	}
	_, _, unknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u.Object, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return append(msgs, err.Error())
	}
	unknown = append(unknown, structuralpruning.PruneWithOptions(u.Object, cr.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u.Object, cr.structural)
	ferr, paths := schemaobjectmeta.CoerceWithOptions(nil, u.Object, cr.structural, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	if ferr != nil {
		return append(msgs, ferr.Error())
	}
	for _, p := range append(unknown, paths...) {
		msgs = append(msgs, fmt.Sprintf("unknown field %q", p))
	}
	structuraldefaulting.Default(u.Object, cr.structural)
	return append(msgs, create(cr.strategy, u)...)
}
