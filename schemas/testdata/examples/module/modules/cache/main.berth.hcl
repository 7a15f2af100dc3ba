variable "network" {
  type = string
}

variable "memory" {
  type    = string
  default = "64MiB"
}

image "redis" {
  ref = "docker.io/library/redis:7"
}

container "redis" {
  image = image.redis.id
  network {
    name = var.network
  }
  resources {
    memory = var.memory
  }
}

output "address" {
  value = container.redis.ip_addresses[var.network]
}
