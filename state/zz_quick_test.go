package state

import "testing"

func FuzzQuick(f *testing.F) {
	f.Add([]byte(withResource(okRes)))
	f.Fuzz(func(t *testing.T, data []byte) {
		Decode(data)
	})
}
