// Package acceptance runs the real berth binary, built once per test run,
// against real containers (libcontainer), real registries on loopback
// (go-containerregistry's registry, and Debian's docker-registry with
// basic auth) and images the tests build themselves from Debian's
// busybox-static. The tests need root and skip, saying so, without it.
//
// Every test gets its own configuration directory and its own runtime root
// (berth { runtime { root = ... } }), and checks that destroy leaves no
// process, mount or cgroup behind.
package acceptance
