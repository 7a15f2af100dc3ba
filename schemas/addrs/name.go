package addrs

// ValidName reports whether s is a name that addresses can hold: one or
// more letters, digits, underscores and dashes, starting with a letter or
// an underscore. Resources, modules, nodes, variables, locals and outputs
// are named so, and such a name is an HCL identifier that may stand bare
// as an attribute name.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if !nameByte(s[i], i == 0) {
			return false
		}
	}
	return true
}

// nameByte reports whether c may stand in a name, as its first byte when
// first is set.
func nameByte(c byte, first bool) bool {
	letter := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	return letter || !first && (c == '-' || c >= '0' && c <= '9')
}
