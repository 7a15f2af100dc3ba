# The quickstart: a web server and a writer sharing a volume, on their own
# network. The writer puts the time into the volume every second; the web
# server serves it on a port published on the host's loopback.
# The image is made on this machine from Debian's busybox-static (run.sh
# writes it to ./image), so nothing comes from Docker Hub.

variable "greeting" {
  type        = string
  default     = "hello from berth"
  description = "first line of the page"
  validation {
    condition     = length(var.greeting) > 0
    error_message = "greeting must not be empty."
  }
}

variable "web_port" {
  type        = number
  default     = 8080
  description = "host port (on 127.0.0.1) the web server is published on"
  validation {
    condition     = var.web_port > 1024 && var.web_port < 65536
    error_message = "web_port must be an unprivileged port (1025-65535)."
  }
}

locals {
  labels = { app = "quickstart" }
}

image "busybox" {
  ref = "oci-layout:./image:latest"
}

volume "site" {}

network "app" {}

container "writer" {
  image   = image.busybox.id
  command = ["sh", "-c", "while true; do { echo \"$GREETING\"; date; } > /site/index.html.new && mv /site/index.html.new /site/index.html; sleep 1; done"]
  env     = { GREETING = var.greeting }
  labels  = local.labels
  restart = "always"

  network { name = network.app.name }
  mount {
    type   = "volume"
    source = volume.site.name
    target = "/site"
  }
}

container "web" {
  image   = image.busybox.id
  command = ["httpd", "-f", "-p", "80", "-h", "/site"]
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
    type      = "volume"
    source    = volume.site.name
    target    = "/site"
    read_only = true
  }
  resources {
    memory = "64MiB"
    pids   = 64
  }
  # Healthy when the server answers a request for the page: busybox's nc
  # has no -z, so the check sends a real HTTP request and reads the status.
  health {
    command  = ["sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 80 | grep -q '^HTTP/1.[01] 200'"]
    interval = "1s"
  }
}

output "web_url" {
  value = "http://127.0.0.1:${var.web_port}/"
}

output "web_address" {
  value       = container.web.ip_addresses[network.app.name]
  description = "the web server's address on the app network"
}
