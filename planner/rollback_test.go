package planner_test

import (
	"strings"
	"testing"

	"github.com/berthhq/berth/planner"
)

// TestPlanFileRollbackFields: a plan file's version and its rollback
// fields are checked before anything else is decoded.
func TestPlanFileRollbackFields(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"older version", `{"magic":"berth-plan","version":2}`, "format version 2, this berth reads 3; make the plan again"},
		{"newer version", `{"magic":"berth-plan","version":4}`, "format version 4, made by a newer berth"},
		{"rollback without target", `{"magic":"berth-plan","version":3,"mode":3}`, "a rollback plan names its target"},
		{"target without rollback", `{"magic":"berth-plan","version":3,"mode":0,"rollback":{"address":"deployment.web","revision":1,"from":2}}`, "a rollback plan names its target"},
		{"unknown mode", `{"magic":"berth-plan","version":3,"mode":9}`, "unknown plan mode 9"},
		{"bad target", `{"magic":"berth-plan","version":3,"mode":3,"rollback":{"address":"deployment.web#1","revision":1,"from":2}}`, "rollback:"},
	}
	reg := registry(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := planner.ReadPlanFile(strings.NewReader(tc.file), reg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
