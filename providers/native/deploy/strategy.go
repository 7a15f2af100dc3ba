package deploy

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// DefaultSurge and DefaultUnavailable are Kubernetes' defaults.
const (
	DefaultSurge       = "25%"
	DefaultUnavailable = "25%"
)

// ErrBothZero is returned for max_surge = max_unavailable = 0: no replica
// could ever be replaced.
var ErrBothZero = errors.New("max_surge and max_unavailable are both zero: an update could never replace a replica")

// Budget is how far a rollout may go beyond and below the desired count.
type Budget struct {
	Surge       int // replicas above the desired count
	Unavailable int // ordinals that may go unserved
}

var countSyntax = regexp.MustCompile(`^([0-9]+)(%?)$`)

// ResolveBudget turns max_surge and max_unavailable ("2" or "25%"; ""
// for the default) into counts for a deployment of replicas: surge
// percentages round up, unavailable ones round down, as in Kubernetes.
// Two literal zeros are an error; when percentages of a small count both
// come out zero, one replica may be unavailable (Kubernetes does the same).
func ResolveBudget(replicas int, surge, unavailable string) (Budget, error) {
	if surge == "" {
		surge = DefaultSurge
	}
	if unavailable == "" {
		unavailable = DefaultUnavailable
	}
	s, sLit, err := resolveCount("max_surge", surge, replicas, true)
	if err != nil {
		return Budget{}, err
	}
	u, uLit, err := resolveCount("max_unavailable", unavailable, replicas, false)
	if err != nil {
		return Budget{}, err
	}
	if sLit == 0 && uLit == 0 {
		return Budget{}, ErrBothZero
	}
	if u > replicas {
		u = replicas
	}
	if s == 0 && u == 0 {
		u = 1
	}
	return Budget{Surge: s, Unavailable: u}, nil
}

// resolveCount resolves one count; lit is the number as written (the
// percentage itself for percentages), to tell literal zeros apart.
func resolveCount(name, s string, replicas int, roundUp bool) (n, lit int, err error) {
	m := countSyntax.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, fmt.Errorf("%s: %q is neither a whole number (2) nor a percentage (25%%)", name, s)
	}
	lit, err = strconv.Atoi(m[1])
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %q: %w", name, s, err)
	}
	if m[2] == "" {
		return lit, lit, nil
	}
	if !roundUp && lit > 100 {
		return 0, 0, fmt.Errorf("%s: %q is over 100%%", name, s)
	}
	scaled := lit * replicas
	if roundUp {
		return (scaled + 99) / 100, lit, nil
	}
	return scaled / 100, lit, nil
}

// String describes the budget for plans and progress lines.
func (b Budget) String() string {
	return fmt.Sprintf("max_surge %d, max_unavailable %d", b.Surge, b.Unavailable)
}
