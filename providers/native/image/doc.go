// Package image is the image store of berth's native runtime: it pulls
// images with go-containerregistry, verifies them, unpacks each layer once
// into a directory ready to be an overlayfs lower layer, and records what
// it holds. It is a leaf library: it imports nothing of berth's.
//
// # API
//
//	s, err := image.Open("/var/lib/berth/images", image.Options{
//		Registries:      map[string]image.RegistryConfig{"10.0.0.5:5000": {Insecure: true}},
//		DefaultPlatform: "linux/amd64", // default runtime.GOOS/GOARCH
//	})
//	img, err := s.Pull(ctx, "registry.example.com/acme/web:1.4.2", image.PullOptions{Policy: image.PullMissing})
//	dirs, err := s.LayerDirs(img) // lowest first; reverse for lowerdir=
//	img, err = s.Get("sha256:…")  // ID, 12+ hex ID prefix, manifest digest or a pulled ref
//	list, err := s.List()
//	err = s.Remove("web:1.4.2")
//	removed, freed, err := s.Prune(func(id string) bool { return inUse[id] })
//	err = s.Push(ctx, img.ID, "registry.example.com/acme/web:stable")
//
// Refs are registry refs by tag or digest, "oci-layout:PATH[:NAME|@DIGEST]"
// (an OCI image layout; NAME matches the org.opencontainers.image.ref.name
// annotation; without one, the layout's only image, or its image for the
// platform when index.json lists one per platform), and
// "docker-archive:PATH[:REPO:TAG]" (a `docker save` tarball). Registries
// on loopback speak plain HTTP; any other speaks HTTPS with verified TLS
// unless RegistryConfig.Insecure (go-containerregistry's own rule, plain
// HTTP to RFC 1918 addresses, is overridden). Credentials come from
// RegistryConfig, else ~/.docker/config.json and credential helpers;
// mirrors are tried before their registry.
//
// Policy: "missing" (default) answers from the store without any network
// when it holds the ref or digest for the platform; "always" resolves a
// tag with HEAD and pulls only when the digest is not stored (a digest ref
// is immutable: as "missing"); "never" answers from the store or fails
// with ErrNotFound. An index yields the image for PullOptions.Platform (or
// the default); a PlatformError lists the platforms it has.
//
// # Store layout
//
//	<root>/store.lock                   flock: image records and garbage collection
//	<root>/blobs/sha256/<hex>           manifests and configs (exact bytes); compressed
//	                                    layers only with Options.KeepLayerBlobs
//	<root>/layers/<diffid-hex>/fs/      an unpacked layer, in overlayfs form
//	<root>/layers/<diffid-hex>/layer.json  completion marker, written last
//	<root>/layers/.tmp-<diffid-hex>/    an unpack in progress (renamed into place when done)
//	<root>/images/<config-hex>.json     image record: Image, manifest, source repository
//	<root>/locks/layer-<diffid-hex>.lock  flock while a layer is unpacked (removed after)
//
// A layer is streamed from the registry through gzip or zstd into the
// extractor, hashed on the way (the blob against its digest, the tar
// against the config's diff ID); no temporary copy is written. It is
// unpacked into .tmp-<hex>, flushed with syncfs, marked complete, then
// renamed to <hex>: a crash leaves a tmp directory, redone by the next
// pull and removed by Prune. A layer that fails verification or
// extraction leaves nothing. Concurrent pulls of a layer unpack it once:
// singleflight within a process, the lock file across processes. A broken
// transfer starts the layer over (with backoff); requests are retried by
// go-containerregistry on 408/429/5xx.
//
// # Extraction
//
// Layers are untrusted. Entries are resolved from the layer root's file
// descriptor one component at a time with O_NOFOLLOW, so no symlink is
// ever followed and nothing outside the layer is reached; ".." is refused
// and absolute names are taken as relative to the layer root. Symlinks are
// stored as written. Hardlinks must name an earlier, non-directory entry
// of the layer (not a symlink leading outside) and get no metadata of
// their own. Owner, mode (setuid kept), times and xattrs (PAX
// SCHILY.xattr.*, less overlayfs's own) apply to the entry itself, owner
// first. Device nodes only as root. Whiteouts become overlayfs whiteouts:
// ".wh.NAME" a 0:0 character device, ".wh..wh..opq" the xattr
// trusted.overlay.opaque=y.
//
// Remove and Prune do not know which containers use an image: the caller
// must not remove layers under a mounted overlay.
package image
