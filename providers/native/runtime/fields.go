package runtime

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// The checks of single Spec fields, exported so that a provider can run
// them on a configuration before apply (at validate and plan) as well:
// one rule, in one place, for both. Spec.check calls each of them.

// MinMemory is the smallest memory limit the runtime accepts: below it a
// container cannot even start its first process.
const MinMemory = 6 << 20

// CheckText refuses a NUL byte, which no argument, environment entry,
// path, label or hostname can hold (the kernel ends a C string there).
func CheckText(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return errors.New("contains a NUL byte (\\u0000)")
	}
	return nil
}

// CheckEnvName checks an environment variable's name: not empty, and no
// '=' (which would end the name) or NUL.
func CheckEnvName(k string) error {
	switch {
	case k == "":
		return errors.New("empty environment variable name")
	case strings.Contains(k, "="):
		return fmt.Errorf("environment variable name %q contains '='", k)
	}
	return CheckText(k)
}

// CheckHostname checks a hostname: RFC 1123 labels of letters, digits
// and '-', 253 characters at most.
func CheckHostname(h string) error {
	if !validHostname(h) {
		return fmt.Errorf("invalid hostname %q (letters, digits and '-' in dot-separated labels of 1 to 63 characters, not starting or ending with '-')", h)
	}
	return nil
}

// CheckWorkingDir checks a working directory: absolute.
func CheckWorkingDir(d string) error {
	if !path.IsAbs(d) {
		return fmt.Errorf("working directory %q is not absolute", d)
	}
	return CheckText(d)
}

// CheckUser checks the syntax of a user: NAME or UID, optionally
// :GROUP or :GID. Whether the name exists is known only in the image.
func CheckUser(u string) error {
	if u == "" {
		return nil
	}
	user, group, hasGroup := strings.Cut(u, ":")
	if user == "" || hasGroup && (group == "" || strings.Contains(group, ":")) || strings.ContainsAny(u, " \t\n") {
		return fmt.Errorf("invalid user %q (want NAME, UID, NAME:GROUP or UID:GID)", u)
	}
	return CheckText(u)
}

// CheckMemory checks a memory limit in bytes (0: none).
func CheckMemory(n int64) error {
	switch {
	case n < 0:
		return errors.New("negative memory limit")
	case n > 0 && n < MinMemory:
		return fmt.Errorf("memory limit below 6 MiB: a container needs at least that much to start")
	}
	return nil
}

// CheckMountTarget checks where a mount goes in the container: an
// absolute path other than /.
func CheckMountTarget(t string) error {
	if !path.IsAbs(t) || path.Clean(t) == "/" {
		return fmt.Errorf("target %q must be an absolute path other than /", t)
	}
	return CheckText(t)
}

// CheckCapabilities checks capability names to add and drop (with or
// without CAP_, any case, or ALL).
func CheckCapabilities(add, drop []string) error {
	_, err := capabilitySet(add, drop)
	return err
}
