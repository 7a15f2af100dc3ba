variable "replicas" {
  type    = number
  default = 3
}

image "web" {
  ref = "docker.io/library/nginx:1.27"
}

network "frontend" {}

# Replicas of one container template behind one published port, replaced
# one at a time, each healthy for 5s before the next.
deployment "web" {
  replicas = var.replicas

  template {
    image = image.web.id
    port {
      host      = 8080
      container = 80
    }
    network {
      name = network.frontend.name
    }
    health {
      command  = ["wget", "-qO-", "http://127.0.0.1/"]
      interval = "5s"
    }
    resources {
      memory = "128MiB"
    }
  }

  update {
    max_surge       = 1
    max_unavailable = 0
    min_ready       = "5s"
    auto_rollback   = true
  }
}

output "web_addresses" {
  value = deployment.web.addresses
}
