image "worker" {
  ref = "docker.io/library/busybox:1.36"
}

container "migrate" {
  image   = image.worker.id
  command = ["sh", "-c", "echo migrating"]
}

# Three workers (container.worker[0] to [2]), started after the migration,
# replaced create-before-destroy, with env changes made outside berth kept.
container "worker" {
  count      = 3
  image      = image.worker.id
  command    = ["sh", "-c", "echo worker ${count.index}; sleep 3600"]
  depends_on = [container.migrate]

  lifecycle {
    create_before_destroy = true
    prevent_destroy       = false
    ignore_changes        = [env]
  }
}

# One volume per key: volume.data["a"] and volume.data["b"].
volume "data" {
  for_each = toset(["a", "b"])
  labels   = { shard = each.key }
}
