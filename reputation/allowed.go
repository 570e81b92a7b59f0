package reputation

// Allowed reports whether host's registrable domain is allowlisted.
func (ix *Index) Allowed(host string) bool {
	dom, err := domainOf(host)
	if err != nil {
		return false
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	_, ok := ix.allowed[dom]
	return ok
}
