package views

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/berthhq/berth/providers/native/image"
)

// ImagesTable prints one row per tag of each image (one "<none>" row for
// an image without tags): REPOSITORY:TAG, IMAGE ID (12 hex digits),
// CREATED (how long ago), SIZE (unpacked). Docker Hub names are shown as
// Docker shows them ("busybox:latest").
func ImagesTable(w io.Writer, images []*image.Image, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 8, 3, ' ', 0)
	fmt.Fprintln(tw, "REPOSITORY:TAG\tIMAGE ID\tCREATED\tSIZE")
	for _, img := range images {
		names := img.RepoTags
		if len(names) == 0 {
			names = []string{"<none>"}
		}
		for _, n := range names {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", FamiliarName(n), ShortDigest(img.ID), imageCreated(img.Created, now), HumanBytes(img.Size))
		}
	}
	return tw.Flush()
}

// ImagesIDs prints the short ID of each image, once (images -q).
func ImagesIDs(w io.Writer, images []*image.Image) {
	for _, img := range images {
		fmt.Fprintln(w, ShortDigest(img.ID))
	}
}

// ImagesJSON prints the images as a JSON array of the store's records.
func ImagesJSON(w io.Writer, images []*image.Image) error {
	if images == nil {
		images = []*image.Image{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(images)
}

// FamiliarName shortens Docker Hub references as Docker does:
// "index.docker.io/library/busybox:latest" is "busybox:latest".
func FamiliarName(ref string) string {
	for _, prefix := range []string{"index.docker.io/library/", "docker.io/library/", "index.docker.io/", "docker.io/"} {
		if rest, ok := strings.CutPrefix(ref, prefix); ok {
			return rest
		}
	}
	return ref
}

// imageCreated is the CREATED column: "-" for an image that records no
// creation time, or the Unix epoch that reproducible builds write in its
// place (it is not when the image was made).
func imageCreated(t, now time.Time) string {
	if t.IsZero() || t.Unix() <= 0 {
		return "-"
	}
	return HumanSince(t, now)
}

// HumanSince says how long before now t was: "3 minutes ago",
// "About an hour ago", "2 years ago".
func HumanSince(t, now time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	d := now.Sub(t)
	if d < 0 {
		return "in the future"
	}
	return humanDuration(d) + " ago"
}

func humanDuration(d time.Duration) string {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d < time.Second:
		return "Less than a second"
	case d < time.Minute:
		return plural(int(d.Seconds()), "second")
	case d < time.Hour:
		return plural(int(d.Minutes()), "minute")
	case d < 2*time.Hour:
		return "About an hour"
	case d < 2*day:
		return plural(int(d.Hours()), "hour")
	case d < 14*day:
		return plural(int(d/day), "day")
	case d < 60*day:
		return plural(int(d/(7*day)), "week")
	case d < 2*year:
		return plural(int(d/(30*day)), "month")
	}
	return plural(int(d/year), "year")
}
