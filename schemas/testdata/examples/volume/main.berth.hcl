# A named volume that outlives the containers mounting it.
volume "pgdata" {
  labels = { app = "shop" }
}

image "postgres" {
  ref = "docker.io/library/postgres:16"
}

container "db" {
  image = image.postgres.id
  env   = { POSTGRES_PASSWORD = "example" }
  mount {
    type   = "volume"
    source = volume.pgdata.name
    target = "/var/lib/postgresql/data"
  }
}
