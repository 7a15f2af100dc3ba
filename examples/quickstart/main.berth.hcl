# The quickstart: a web server and a writer sharing a volume. The writer
# puts the time into the volume every second; the web server serves it.
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

locals {
  labels = { app = "quickstart" }
}

image "busybox" {
  ref = "oci-layout:./image:latest"
}

volume "site" {}

container "writer" {
  image   = image.busybox.id
  command = ["sh", "-c", "while true; do { echo \"$GREETING\"; date; } > /site/index.html.new && mv /site/index.html.new /site/index.html; sleep 1; done"]
  env     = { GREETING = var.greeting }
  labels  = local.labels
  restart = "always"

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
  health {
    command  = ["nc", "-z", "127.0.0.1", "80"]
    interval = "1s"
  }
}

output "web_pid" {
  value       = container.web.pid
  description = "host PID of the web server (its network namespace is /proc/PID/ns/net)"
}
