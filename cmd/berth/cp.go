package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newCpCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "cp ADDRESS:PATH DEST | SOURCE ADDRESS:PATH",
		Short: "Copy files and directories between a container and the host",
		Long: `Copy a file, directory or symlink out of a container (ADDRESS:PATH DEST) or
into one (SOURCE ADDRESS:PATH), as docker cp does: into the destination
when it is a directory, else to it (its parent must exist); a source
ending in "/." copies a directory's contents. Modes and times are kept;
files copied in belong to the container's root user, files copied out to
you. A symlink is copied as a symlink.

Paths in the container are resolved inside its root: a symlink there,
absolute or full of "..", can never make berth read or write a file of
the host. A running container is reached with its mounts; a stopped one
through its own filesystem only (not its volumes).

ADDRESS is a container, one replica (deployment.web#1), or a container
outside the state by name or ID.`,
		Example: `  berth cp container.web:/etc/nginx/nginx.conf .
  berth cp ./site/. container.web:/usr/share/nginx/html
  berth cp deployment.api#0:/var/log/app.log app-0.log`,
		Args:              cobra.ExactArgs(2),
		ValidArgsFunction: completeCopy,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.copyFiles(cmd, args[0], args[1])
		},
	}
}

// splitContainerPath splits ADDRESS:PATH; ok is false for a host path.
// A path starting with "/" or "." is always the host's; the address ends
// at the first ":" (after its instance key, which may hold one).
func splitContainerPath(arg string) (addr, p string, ok bool) {
	if strings.HasPrefix(arg, "/") || strings.HasPrefix(arg, ".") {
		return "", arg, false
	}
	from := 0
	if k := strings.Index(arg, "]"); k >= 0 { // container.web["a:b"]:/x
		from = k
	}
	i := strings.Index(arg[from:], ":")
	if i < 0 || from+i == 0 {
		return "", arg, false
	}
	return arg[:from+i], arg[from+i+1:], true
}

func (a *app) copyFiles(cmd *cobra.Command, src, dst string) error {
	srcAddr, srcPath, srcIn := splitContainerPath(src)
	dstAddr, dstPath, dstIn := splitContainerPath(dst)
	switch {
	case srcIn && dstIn:
		return errors.New("berth cp copies between a container and the host; copy through the host to go from one container to another")
	case !srcIn && !dstIn:
		return errors.New("berth cp needs ADDRESS:PATH on one side, e.g. berth cp container.web:/etc/hosts .")
	case srcPath == "" || dstPath == "":
		return errors.New("berth cp: a path is empty")
	}
	o, err := a.openOps(cmd)
	if err != nil {
		return err
	}
	addr := srcAddr
	if dstIn {
		addr = dstAddr
	}
	m, err := o.resolveOne(addr)
	if err != nil {
		return err
	}
	if err := m.present(); err != nil {
		return err
	}
	if srcIn {
		err = o.engine.Runtime.CopyFrom(m.ID, srcPath, dstPath)
	} else {
		err = o.engine.Runtime.CopyTo(m.ID, srcPath, dstPath)
	}
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	return nil
}
