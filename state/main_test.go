package state

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/berthhq/berth/schemas/addrs"
	"github.com/zclconf/go-cty/cty"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// holderEnv names the state path a re-executed test binary locks as the
// helper process of the cross-process lock tests.
const holderEnv = "BERTH_STATE_TEST_LOCK_HOLDER"

func TestMain(m *testing.M) {
	if path := os.Getenv(holderEnv); path != "" {
		os.Exit(holdLock(path))
	}
	os.Exit(m.Run())
}

// holdLock takes the lock, prints "locked <id>" and holds it until stdin
// closes: the stand-in for another berth process.
func holdLock(path string) int {
	l, err := Open(path).Lock(context.Background(), "berth apply", 0)
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("locked", l.Info.ID)
	bufio.NewReader(os.Stdin).ReadString('\n')
	if err := l.Unlock(); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	return 0
}

func mustInstance(t testing.TB, s string) addrs.Instance {
	t.Helper()
	i, err := addrs.ParseInstance(s)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func mustTarget(t testing.TB, s string) addrs.Target {
	t.Helper()
	tg, err := addrs.ParseTarget(s)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// containerType is a small resource type for tests.
var containerType = cty.Object(map[string]cty.Type{
	"id":    cty.String,
	"image": cty.String,
	"env":   cty.Map(cty.String),
	"ports": cty.List(cty.Number),
})

// testResource records a container at addr with some attributes.
func testResource(t testing.TB, addr string) *Resource {
	t.Helper()
	r := &Resource{Addr: mustInstance(t, addr), Provider: "berth"}
	err := r.SetValue(cty.ObjectVal(map[string]cty.Value{
		"id":    cty.StringVal("id-" + addr),
		"image": cty.StringVal("nginx@sha256:0123"),
		"env":   cty.MapVal(map[string]cty.Value{"A": cty.StringVal("1 && <2>")}),
		"ports": cty.ListVal([]cty.Value{cty.NumberIntVal(80), cty.NumberIntVal(443)}),
	}), cty.NilType)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sampleState has root, module, count and for_each instances and outputs,
// with a fixed lineage so that it can be compared with golden files.
func sampleState(t testing.TB) *State {
	t.Helper()
	st := New()
	st.Lineage = "3f5c2a4e-8f1b-4c7e-9d2a-1b6e0c9f7a55"
	st.BerthVersion = "0.1.0"
	for _, a := range []string{
		`container.web[1]`, `container.web[0]`, `network.front`,
		`module.app.container.db["primary"]`, `module.app.module.cache.volume.data`,
	} {
		st.Set(testResource(t, a))
	}
	db := st.Resource(mustInstance(t, `module.app.container.db["primary"]`))
	db.Node = "n1"
	db.SensitivePaths = []string{`env["A"]`}
	db.Private = []byte("provider private")
	db.Dependencies = []string{"network.front", "module.app.module.cache.volume.data"}
	db.CreateBeforeDestroy = true
	web := st.Resource(mustInstance(t, `container.web[1]`))
	web.Tainted = true
	web.SchemaVersion = 2
	url, err := OutputOf(cty.StringVal("http://localhost:8080"), false)
	if err != nil {
		t.Fatal(err)
	}
	ports, err := OutputOf(cty.ObjectVal(map[string]cty.Value{"web": cty.ListVal([]cty.Value{cty.NumberIntVal(80)})}), true)
	if err != nil {
		t.Fatal(err)
	}
	st.Outputs["url"], st.Outputs["ports"] = url, ports
	return st
}
