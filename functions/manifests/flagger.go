package manifests

// flaggerCanary renders the Flagger Canary. (not yet implemented)
func (r *renderer) flaggerCanary() []any { return nil }
