# An image pulled from a registry and pinned to a digest.
image "postgres" {
  ref      = "docker.io/library/postgres:16"
  platform = "linux/amd64"
  pull     = "missing"
}

# An image from an OCI layout on this machine (made without a registry,
# e.g. by examples/quickstart/mkimage), pinned to its digest.
image "busybox" {
  ref = "oci-layout:./image:latest"
}

output "postgres_digest" {
  value = image.postgres.digest
}
