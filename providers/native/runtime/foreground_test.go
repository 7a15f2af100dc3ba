package runtime

import (
	"errors"
	"testing"
)

func TestClassifyStartError(t *testing.T) {
	tests := []struct {
		name string
		args []string
		msg  string
		code int // 0: not an ExecError
		want string
	}{
		{"not in PATH", []string{"nope"}, `start nope: error during container init: exec: "nope": executable file not found in $PATH`, 127,
			`cannot run "nope" in the container: executable file not found in $PATH`},
		{"absolute missing", []string{"/x/y"}, `init: exec: "/x/y": stat /x/y: no such file or directory`, 127,
			`cannot run "/x/y" in the container: stat /x/y: no such file or directory`},
		{"not executable", []string{"/etc/passwd"}, `exec: "/etc/passwd": permission denied`, 126, ""},
		{"a directory", []string{"/bin"}, `exec: "/bin": is a directory`, 126, ""},
		{"other start error", []string{"sh"}, `mount /x: no such file or directory`, 0, ""},
		{"another command named", []string{"sh"}, `exec: "bash": executable file not found in $PATH`, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := classifyStartError(tc.args, errors.New(tc.msg))
			var ee *ExecError
			if !errors.As(err, &ee) {
				if tc.code != 0 {
					t.Fatalf("not an ExecError: %v", err)
				}
				return
			}
			if tc.code == 0 || ee.ExitCode() != tc.code || (tc.want != "" && ee.Error() != tc.want) {
				t.Errorf("got %q (exit %d), want %q (exit %d)", ee.Error(), ee.ExitCode(), tc.want, tc.code)
			}
		})
	}
	if classifyStartError(nil, nil) != nil {
		t.Error("nil error classified")
	}
}
