package addrs

import "testing"

func TestParseTargetRoundTrip(t *testing.T) {
	for _, s := range []string{
		"container.web",
		"container.web[0]",
		`container.web["a b"]`,
		"module.app.container.web",
		"module.a.module.b.volume.data[3]",
		"module.app",
		"deployment.web#2",
		`deployment.web["blue"]#0`,
	} {
		t.Run(s, func(t *testing.T) {
			tg, err := ParseTarget(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := tg.String(); got != s {
				t.Errorf("round trip = %q", got)
			}
		})
	}
}

func TestParseTargetErrors(t *testing.T) {
	for _, s := range []string{"", "container", "container.", "container.web[", "container.web[-1]",
		"container.web[x]", "module.", "container.web#", "container.web]", `container.web["a]`} {
		if _, err := ParseTarget(s); err == nil {
			t.Errorf("%q parsed, want an error", s)
		}
	}
	if _, err := ParseInstance("module.app"); err == nil {
		t.Error("a module is not an instance")
	}
	if _, err := ParseInstance("deployment.web#1"); err == nil {
		t.Error("a replica is not an instance")
	}
}

func TestTargetContains(t *testing.T) {
	web0 := Resource{Type: "container", Name: "web"}.Instance(IntKeyOf(0))
	inMod := Resource{Module: Module{"app"}, Type: "container", Name: "web"}.Instance(Key{})
	tests := []struct {
		target string
		inst   Instance
		want   bool
	}{
		{"container.web", web0, true},
		{"container.web[0]", web0, true},
		{"container.web[1]", web0, false},
		{"container.db", web0, false},
		{"module.app", inMod, true},
		{"module.app", web0, false},
		{"container.web", inMod, false},
		{"module.app.container.web", inMod, true},
	}
	for _, tc := range tests {
		tg, err := ParseTarget(tc.target)
		if err != nil {
			t.Fatal(err)
		}
		if got := tg.Contains(tc.inst); got != tc.want {
			t.Errorf("%s contains %s = %v, want %v", tc.target, tc.inst, got, tc.want)
		}
	}
}

func TestInstanceOrder(t *testing.T) {
	a := Resource{Type: "container", Name: "web"}
	if !a.Instance(IntKeyOf(2)).Less(a.Instance(IntKeyOf(10))) {
		t.Error("[2] should sort before [10]")
	}
	if !a.Instance(Key{}).Less(a.Instance(IntKeyOf(0))) {
		t.Error("no key sorts first")
	}
}
