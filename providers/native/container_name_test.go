package native

import (
	"strings"
	"testing"

	"github.com/berthhq/berth/providers/native/runtime"
)

// TestExplainNameTaken: the hint for a taken name follows the holder's
// labels; only a container recording this very configuration is
// offered to berth import.
func TestExplainNameTaken(t *testing.T) {
	planned := containerConfig(t, nil)
	other := containerConfig(t, m{"hostname": str("elsewhere")})
	tests := []struct {
		name   string
		labels map[string]string
		want   string
	}{
		{"orphan of this configuration", map[string]string{labelConfig: recordedConfig(planned)}, "berth import ADDRESS 0123456789ab"},
		{"other configuration", map[string]string{labelConfig: recordedConfig(other)}, "another berth configuration"},
		{"berth run", map[string]string{labelRun: "true", labelConfig: recordedConfig(planned)}, "berth stop web"},
		{"replica", map[string]string{labelDeployment: "d1", labelDeploymentName: "api", labelConfig: recordedConfig(planned)}, `replica of deployment "api"`},
		{"not berth's", nil, "berth did not make it"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			holder := &runtime.Status{ID: "0123456789abcdef", Name: "web", State: runtime.StateRunning, Labels: tc.labels}
			err := explainNameTaken(&runtime.NameTakenError{Name: "web", Holder: holder}, planned)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to contain %q", err, tc.want)
			}
			if tc.name != "orphan of this configuration" && strings.Contains(err.Error(), "berth import") {
				t.Errorf("offers berth import for a container that is not this configuration's: %q", err)
			}
		})
	}
}
