package main

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestRewriteArgs(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"equals form", "plan -out=x.plan", "plan --out=x.plan"},
		{"separate value", "plan -out x.plan", "plan --out x.plan"},
		{"double dash untouched", "plan --out x.plan", "plan --out x.plan"},
		{"bool flags", "apply -auto-approve -no-color", "apply --auto-approve --no-color"},
		{"bool with value", "plan -refresh=false -lock=false", "plan --refresh=false --lock=false"},
		{"var value not a flag", "plan -var a=b -var-file f.hcl", "plan --var a=b --var-file f.hcl"},
		{"value looking like a flag", "plan -var -out=x", "plan --var -out=x"},
		{"global before command", "-chdir=dir plan -detailed-exitcode", "--chdir=dir plan --detailed-exitcode"},
		{"global value before command", "-chdir dir plan -json", "--chdir dir plan --json"},
		{"global after command", "plan -chdir=dir", "plan --chdir=dir"},
		{"nested command", "state rm -lock-timeout=5s container.web", "state rm --lock-timeout=5s container.web"},
		{"shorthand stays", "plan -h", "plan -h"},
		{"unknown stays", "plan -bogus", "plan -bogus"},
		{"cluster stays", "fmt -it", "fmt -it"},
		{"after double dash", "plan -- -out=x", "plan -- -out=x"},
		{"flag of another command stays", "fmt -out=x", "fmt -out=x"},
		{"stdin dash", "fmt -", "fmt -"},
		{"help", "plan -help", "plan --help"},
		{"positional is not a command", "show state -json", "show state --json"},
		{"fmt flags", "fmt -check -diff -recursive", "fmt --check --diff --recursive"},
		{"completion request", "__complete plan -target x", "__complete plan --target x"},
		{"repeated target", "plan -target=a.b -target a.c -replace=a.d", "plan --target=a.b --target a.c --replace=a.d"},
		{"run flags before the image", "run -rm -name x -e A=b img", "run --rm --name x -e A=b img"},
		{"run command is the container's", "run -rm img find -name x -rm", "run --rm img find -name x -rm"},
		{"global root", "-root /r run -rm img", "--root /r run --rm img"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := newRootCmd(&app{stdout: io.Discard, stderr: io.Discard})
			got := rewriteArgs(root, strings.Fields(tc.in))
			if want := strings.Fields(tc.want); !reflect.DeepEqual(got, want) {
				t.Errorf("rewriteArgs(%q) = %q, want %q", tc.in, got, want)
			}
		})
	}
}
