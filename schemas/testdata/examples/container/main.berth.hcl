variable "pg_password" {
  type      = string
  sensitive = true
  default   = "change-me"
}

image "postgres" {
  ref = "docker.io/library/postgres:16"
}

network "backend" {}

volume "pgdata" {}

# A database with its data on a volume, published on the host's loopback,
# health-checked and limited in memory, CPU and processes.
container "db" {
  image    = image.postgres.id
  command  = ["postgres", "-c", "fsync=off"]
  env      = { POSTGRES_PASSWORD = var.pg_password }
  user     = "999:999"
  restart  = "on-failure"
  hostname = "db"

  network {
    name    = network.backend.name
    aliases = ["database"]
    ipv4    = "10.89.0.10"
  }
  port {
    host      = 5432
    container = 5432
    host_ip   = "127.0.0.1"
  }
  mount {
    type   = "volume"
    source = volume.pgdata.name
    target = "/var/lib/postgresql/data"
  }
  mount {
    type   = "tmpfs"
    target = "/run/postgresql"
    size   = "64MiB"
  }
  resources {
    memory = "256MiB"
    cpus   = 0.5
    pids   = 512
  }
  health {
    command      = ["pg_isready", "-U", "postgres"]
    interval     = "5s"
    timeout      = "2s"
    retries      = 3
    start_period = "10s"
  }
  capabilities {
    drop = ["NET_RAW"]
  }
  stop_timeout = "30s"
}

output "db_address" {
  value = container.db.ip_addresses
}
