//go:build embedruntime

package main

import (
	_ "embed"
	"strings"

	"github.com/berthhq/berth/providers/native/runtime"
)

// The runtime helper (cmd/berth/helper) and its SHA-256, put here by
// scripts/build before it builds berth with the embedruntime tag.
var (
	//go:embed berth-runtime.bin
	helperBin []byte
	//go:embed berth-runtime.sha256
	helperDigest string
)

func init() { runtime.UseHelper(helperBin, strings.TrimSpace(helperDigest)) }
