package schemas

import "testing"

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "0", want: 0},
		{in: "1048576", want: 1 << 20},
		{in: "256MiB", want: 256 << 20},
		{in: "256m", want: 256 << 20},
		{in: "1g", want: 1 << 30},
		{in: "1GB", want: 1e9},
		{in: "1.5KiB", want: 1536},
		{in: "64 MiB", want: 64 << 20},
		{in: "10b", want: 10},
		{in: "", bad: true},
		{in: "MiB", bad: true},
		{in: "-1m", bad: true},
		{in: "12 parsecs", bad: true},
		{in: "1.2.3k", bad: true},
		{in: "99999999999t", bad: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseSize(tc.in)
			if (err != nil) != tc.bad {
				t.Fatalf("ParseSize(%q) error = %v, want bad=%v", tc.in, err, tc.bad)
			}
			if !tc.bad && got != tc.want {
				t.Errorf("ParseSize(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestCheckFormat(t *testing.T) {
	tests := []struct {
		format, in string
		ok         bool
	}{
		{"", "anything", true},
		{FormatDuration, "5s", true},
		{FormatDuration, "1m30s", true},
		{FormatDuration, "0s", true},
		{FormatDuration, "-5s", false},
		{FormatDuration, "5", false},
		{FormatSize, "256MiB", true},
		{FormatSize, "lots", false},
		{FormatCIDR, "10.89.0.0/24", true},
		{FormatCIDR, "10.89.0.0", false},
		{FormatCIDR, "fd00::/64", false},
		{FormatIPv4, "10.89.0.10", true},
		{FormatIPv4, "10.89.0.300", false},
		{FormatIPv4, "::1", false},
		{"color", "red", false},
	}
	for _, tc := range tests {
		t.Run(tc.format+"/"+tc.in, func(t *testing.T) {
			err := CheckFormat(tc.format, tc.in)
			if (err == nil) != tc.ok {
				t.Errorf("CheckFormat(%q, %q) = %v, want ok=%v", tc.format, tc.in, err, tc.ok)
			}
		})
	}
}
