# The quickstart: a web server and a key-value store on one network, with a
# volume for the store's data. The image is made on this machine from
# Debian's busybox-static (see run.sh), so nothing comes from Docker Hub.

variable "web_port" {
  type        = number
  default     = 8080
  description = "host port the web server is published on"
  validation {
    condition     = var.web_port > 1024 && var.web_port < 65536
    error_message = "web_port must be an unprivileged port (1025-65535)."
  }
}

variable "greeting" {
  type    = string
  default = "hello from berth"
}

locals {
  labels = { app = "quickstart", managed_by = "berth" }
}

image "busybox" {
  ref  = "oci-layout:${path.module}/image:latest"
  pull = "missing"
}

network "app" {
  subnet = "10.89.7.0/24"
}

volume "data" {}

container "web" {
  image   = image.busybox.id
  command = ["httpd", "-f", "-v", "-p", "80", "-h", "/srv"]
  env     = { GREETING = var.greeting }
  labels  = local.labels
  restart = "on-failure"

  network {
    name    = network.app.name
    aliases = ["www"]
  }
  port {
    host      = var.web_port
    container = 80
    host_ip   = "127.0.0.1"
  }
  mount {
    type   = "volume"
    source = volume.data.name
    target = "/srv"
  }
  resources {
    memory = "64MiB"
    pids   = 64
  }
  health {
    command  = ["nc", "-z", "127.0.0.1", "80"]
    interval = "2s"
  }
}

output "web_url" {
  value = "http://127.0.0.1:${var.web_port}/"
}
