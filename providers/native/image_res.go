package native

import (
	"context"
	"errors"
	"fmt"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// applyImage pulls (create, update) or removes (delete) an image.
func applyImage(ctx context.Context, e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	if req.Planned.IsNull() {
		id, _ := knownString(attr(req.Prior, "id"))
		if err := removeImage(e, id); err != nil {
			return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
		}
		return providers.ApplyResourceChangeResponse{New: req.Planned}
	}
	if !attr(req.Planned, "build").IsNull() {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.Errorf(
			"image builds (the build block) are not supported by this berth yet; build elsewhere and set ref")}
	}
	ref, _ := knownString(attr(req.Planned, "ref"))
	policy, _ := knownString(attr(req.Planned, "pull"))
	platform, _ := knownString(attr(req.Planned, "platform"))
	img, err := e.Images.Pull(ctx, ref, image.PullOptions{
		Platform: platform, Policy: image.Policy(policy), Progress: pullProgress(req.Progress),
	})
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.AttributeError(
			cty.GetAttrPath("ref"), fmt.Sprintf("pull %s", ref), err.Error())}
	}
	return providers.ApplyResourceChangeResponse{New: imageValue(req.Planned, img)}
}

// imageValue fills the computed attributes from the pulled image.
func imageValue(planned cty.Value, img *image.Image) cty.Value {
	labels := cty.MapValEmpty(cty.String)
	if len(img.Config.Labels) > 0 {
		m := map[string]cty.Value{}
		for k, v := range img.Config.Labels {
			m[k] = cty.StringVal(v)
		}
		labels = cty.MapVal(m)
	}
	digest := img.Digest
	if digest == "" {
		digest = img.ID
	}
	return withAttrs(planned, map[string]cty.Value{
		"id":     cty.StringVal(img.ID),
		"digest": cty.StringVal(digest),
		"size":   cty.NumberIntVal(compressedSize(img)),
		"labels": labels,
	})
}

func compressedSize(img *image.Image) int64 {
	var n int64
	for _, l := range img.Layers {
		n += l.Size
	}
	return n
}

// removeImage deletes an image unless a container still uses it.
func removeImage(e *Engine, id string) error {
	if id == "" {
		return nil
	}
	cs, err := e.Runtime.List()
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Labels[labelImage] == id {
			return nil // still in use: keep it, as `docker rmi` would refuse
		}
	}
	if err := e.Images.Remove(id); err != nil && !errors.Is(err, image.ErrNotFound) {
		return err
	}
	return nil
}

// readImage reports an image deleted from the store as gone.
func readImage(e *Engine, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	id, _ := knownString(attr(req.Prior, "id"))
	if _, err := e.Images.Get(id); errors.Is(err, image.ErrNotFound) {
		return providers.ReadResourceResponse{New: cty.NullVal(req.Prior.Type())}
	} else if err != nil {
		return providers.ReadResourceResponse{New: req.Prior, Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	return providers.ReadResourceResponse{New: req.Prior, Private: req.Private}
}

// importImage adopts an image already in the store, by ID or ref.
func importImage(e *Engine, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	img, err := e.Images.Get(req.ID)
	if err != nil {
		return providers.ImportResourceResponse{Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	ref := img.Ref
	if ref == "" && len(img.RepoTags) > 0 {
		ref = img.RepoTags[0]
	}
	ty := schemas.Builtin()[schemas.TypeImage].Block.ImpliedType()
	attrs := map[string]cty.Value{}
	for name, at := range ty.AttributeTypes() {
		attrs[name] = cty.NullVal(at)
	}
	attrs["ref"], attrs["pull"], attrs["push"] = cty.StringVal(ref), cty.StringVal("missing"), cty.False
	attrs["name"] = cty.StringVal(ref)
	return providers.ImportResourceResponse{Imported: imageValue(cty.ObjectVal(attrs), img)}
}

// pullProgress turns layer progress into plain messages, one per layer
// step, for the CLI's progress lines.
func pullProgress(report func(string)) func(image.Progress) {
	if report == nil {
		return nil
	}
	done := map[string]bool{}
	return func(pr image.Progress) {
		switch {
		case pr.Layer == "" && pr.Message != "":
			report(pr.Message)
		case pr.Done && !done[pr.Layer]:
			done[pr.Layer] = true
			report(fmt.Sprintf("layer %s done (%s)", short(pr.Layer), humanBytes(pr.Total)))
		}
	}
}

func short(digest string) string {
	if len(digest) > 19 {
		return digest[7:19]
	}
	return digest
}

func humanBytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB"}
	f := float64(n)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}
