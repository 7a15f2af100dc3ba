package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
)

// Words of generated container names: adjective-noun-NNNN.
var (
	nameAdjectives = []string{
		"amber", "brave", "bright", "calm", "clever", "crisp", "daring", "eager",
		"fancy", "fond", "gentle", "glad", "happy", "hardy", "jolly", "keen",
		"kind", "lively", "lucid", "merry", "mellow", "nimble", "noble", "proud",
		"quick", "quiet", "rapid", "salty", "sharp", "shy", "snug", "steady",
		"sunny", "swift", "tidy", "vivid", "warm", "wise", "witty", "zesty",
	}
	nameNouns = []string{
		"anchor", "barge", "beacon", "buoy", "cabin", "canal", "cargo", "cove",
		"crane", "current", "dock", "ferry", "gull", "harbor", "hull", "inlet",
		"jetty", "keel", "kelp", "lagoon", "mast", "mooring", "otter", "pier",
		"pilot", "port", "quay", "reef", "rudder", "sail", "seal", "skiff",
		"slip", "stern", "tide", "tug", "wake", "wharf", "whale", "yacht",
	}
)

// newRunID returns a random 64-hex-digit container ID, as Docker's.
func newRunID() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// generateName returns a name such as "brave-otter-0427".
func generateName() string {
	return fmt.Sprintf("%s-%s-%04d", pick(nameAdjectives), pick(nameNouns), randInt(10000))
}

func pick(words []string) string { return words[randInt(len(words))] }

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		return 0
	}
	return int(v.Int64())
}
