# An image pulled from a registry and pinned to a digest.
image "postgres" {
  ref      = "docker.io/library/postgres:16"
  platform = "linux/amd64"
  pull     = "missing"
}

# An image built from ./app/Dockerfile without a daemon, then pushed.
image "app" {
  build {
    context    = "./app"
    dockerfile = "Dockerfile"
    args       = { VERSION = "1.0" }
    target     = "runtime"
  }
  tag  = "registry.example.com/acme/app:1.0"
  push = true
}

output "app_digest" {
  value = image.app.digest
}
