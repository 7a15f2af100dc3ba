variable "registry_password" {
  type      = string
  sensitive = true
  default   = ""
}

berth {
  required_version = ">= 0.1"

  state {
    path = "state/prod.berth.state"
  }
  runtime {
    root = "/var/lib/berth"
  }
  registry "10.0.0.5:5000" {
    insecure = true
    username = "ci"
    password = var.registry_password
    mirrors  = ["mirror.example.com"]
  }
  required_providers {
    certs = { version = ">= 1.2, < 2.0" }
  }
}
