package spec

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func TestFunctions(t *testing.T) {
	tests := []struct{ src, want string }{
		// numeric
		{`abs(-3)`, "3"}, {`max(1, 5, 2)`, "5"}, {`parseint("ff", 16)`, "255"},
		{`pow(2, 10)`, "1024"}, {`sum([1, 2, 3.5])`, "6.5"}, {`ceil(1.2)`, "2"},
		// string
		{`format("%s-%03d", "web", 7)`, `"web-007"`}, {`join(",", ["a", "b"])`, `"a,b"`},
		{`replace("a-b-c", "-", "+")`, `"a+b+c"`}, {`replace("a1b22", "/[0-9]+/", "#")`, `"a#b#"`},
		{`regex("v([0-9]+)", "v12")`, `["12"]`}, {`strrev("abc")`, `"cba"`},
		{`substr("hello", 1, 3)`, `"ell"`}, {`title("web app")`, `"Web App"`},
		{`trimprefix("v1.0", "v")`, `"1.0"`}, {`trimspace("  x ")`, `"x"`},
		{`startswith("berth", "be")`, "true"}, {`strcontains("berth", "rt")`, "true"},
		{`split(":", "a:b")`, `["a","b"]`}, {`indent(2, "a\nb")`, `"a\n  b"`},
		// collection
		{`length("héllo")`, "5"}, {`length([1, 2])`, "2"}, {`length({a = 1})`, "1"},
		{`alltrue([true, true])`, "true"}, {`anytrue([false])`, "false"},
		{`index(["a", "b"], "b")`, "1"}, {`one(["x"])`, `"x"`}, {`one([])`, "null"},
		{`concat([1], [2])`, "[1,2]"}, {`contains(["a"], "a")`, "true"},
		{`distinct([1, 1, 2])`, "[1,2]"}, {`flatten([[1], [2, [3]]])`, "[1,2,3]"},
		{`keys({b = 1, a = 2})`, `["a","b"]`}, {`lookup({a = 1}, "b", 9)`, "9"},
		{`merge({a = 1}, {b = 2})`, `{"a":1,"b":2}`}, {`range(3)`, "[0,1,2]"},
		{`reverse([1, 2])`, "[2,1]"}, {`setunion(["a"], ["b"])`, `["a","b"]`},
		{`slice([1, 2, 3], 1, 3)`, "[2,3]"}, {`sort(["b", "a"])`, `["a","b"]`},
		{`transpose({a = ["x", "y"], b = ["x"]})`, `{"x":["a","b"],"y":["a"]}`},
		{`zipmap(["a"], [1])`, `{"a":1}`}, {`coalesce("", "x")`, `"x"`},
		{`compact(["a", "", "b"])`, `["a","b"]`}, {`chunklist([1, 2, 3], 2)`, "[[1,2],[3]]"},
		// encoding and conversion
		{`jsonencode({a = [1]})`, `"{\"a\":[1]}"`}, {`jsondecode("[1,2]")[1]`, "2"},
		{`csvdecode("a,b\n1,2")[0].b`, `"2"`}, {`base64encode("hi")`, `"aGk="`},
		{`base64decode("aGk=")`, `"hi"`}, {`tostring(1)`, `"1"`}, {`tonumber("2")`, "2"},
		{`tobool("true")`, "true"}, {`tolist(["a"])`, `["a"]`}, {`tomap({a = "b"})`, `{"a":"b"}`},
		{`try(jsondecode("{"), "bad")`, `"bad"`}, {`can(tonumber("x"))`, "false"},
		// hashes and time
		{`sha256("abc")`, `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{`md5("abc")`, `"900150983cd24fb0d6963f7d28e17f72"`},
		{`sha1("abc")`, `"a9993e364706816aba3e25717850c26c9cd0d89d"`},
		{`length(uuid())`, "36"},
		{`formatdate("YYYY-MM-DD", "2024-03-05T10:00:00Z")`, `"2024-03-05"`},
		{`timeadd("2024-01-01T00:00:00Z", "1h")`, `"2024-01-01T01:00:00Z"`},
		// network
		{`cidrsubnet("10.89.0.0/16", 8, 2)`, `"10.89.2.0/24"`}, {`cidrhost("10.89.0.0/24", 10)`, `"10.89.0.10"`},
		{`cidrnetmask("10.0.0.0/8")`, `"255.0.0.0"`}, {`cidrsubnets("10.0.0.0/8", 8, 8)`, `["10.0.0.0/16","10.1.0.0/16"]`},
		// filesystem
		{`file("plain.txt")`, `"data\n"`}, {`fileexists("plain.txt")`, "true"}, {`fileexists("nope")`, "false"},
		{`templatefile("greeting.tpl", {name = "bob", ports = [1, 2]})`, `"hello bob :1 :2 BOB\n"`},
		{`basename("/a/b.txt")`, `"b.txt"`}, {`dirname("/a/b.txt")`, `"/a"`},
	}
	ctx := &hcl.EvalContext{Functions: Functions("testdata")}
	for _, tc := range tests {
		t.Run(tc.src, func(t *testing.T) {
			v, diags := parseExpr(t, tc.src).Value(ctx)
			if diags.HasErrors() {
				t.Fatal(diagString(diags))
			}
			if got := jsonOf(t, v); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestTemplateFileErrors(t *testing.T) {
	ctx := &hcl.EvalContext{Functions: Functions("testdata")}
	for src, want := range map[string]string{
		`templatefile("greeting.tpl", {name = "x"})`: `"ports"`,
		`templatefile("missing.tpl", {})`:            "no such file",
		`templatefile("greeting.tpl", "x")`:          "object or map",
	} {
		_, diags := parseExpr(t, src).Value(ctx)
		if !strings.Contains(diagString(diags), want) {
			t.Errorf("%s: want error %q, got%s", src, want, diagString(diags))
		}
	}
}

func jsonOf(t *testing.T, v cty.Value) string {
	t.Helper()
	if v.IsNull() {
		return "null"
	}
	b, err := ctyJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ctyJSON(v cty.Value) (string, error) {
	b, err := ctyjson.Marshal(v, v.Type())
	return string(b), err
}
