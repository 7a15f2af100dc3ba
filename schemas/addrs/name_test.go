package addrs

import "testing"

func TestValidName(t *testing.T) {
	for name, want := range map[string]bool{
		"web":     true,
		"_x":      true,
		"web-1_b": true,
		"W9":      true,
		"":        false,
		"1web":    false,
		"-web":    false,
		"web.db":  false,
		"web db":  false,
		"wéb":     false,
		"web[0]":  false,
	} {
		t.Run(name, func(t *testing.T) {
			if got := ValidName(name); got != want {
				t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
			}
		})
	}
}

// An address holds only names that ValidName accepts: a leading dash,
// which no configuration can declare, does not parse.
func TestParseTargetNames(t *testing.T) {
	for s, ok := range map[string]bool{
		"container.web-1":        true,
		"module._a.container.b2": true,
		"container.-web":         false,
		"-container.web":         false,
		"module.-a.container.b":  false,
		"container.1web":         false,
	} {
		t.Run(s, func(t *testing.T) {
			if _, err := ParseTarget(s); (err == nil) != ok {
				t.Errorf("ParseTarget(%q) = %v, want ok %v", s, err, ok)
			}
		})
	}
}
