package image

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// CheckRef checks the syntax of what names an image to pull or find: a
// registry reference (NAME[:TAG][@DIGEST], as go-containerregistry parses
// it), an image ID (sha256:HEX, or a hex prefix of one), or an
// oci-layout: or docker-archive: source, whose path is checked only when
// it is read. It needs no store and no network, so a provider runs it
// at validate.
func CheckRef(ref string) error {
	if strings.HasPrefix(ref, layoutPrefix) || strings.HasPrefix(ref, archivePrefix) {
		return nil
	}
	if hex := strings.TrimPrefix(ref, "sha256:"); isHex(hex) && len(hex) >= 12 {
		return nil
	}
	if _, err := name.ParseReference(ref); err != nil {
		return fmt.Errorf("image ref %q: %w", ref, err)
	}
	return nil
}
