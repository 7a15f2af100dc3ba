variable "replicas" {
  type        = number
  default     = 2
  description = "web replicas"
  validation {
    condition     = var.replicas > 0
    error_message = "replicas must be positive."
  }
}

variable "ports" {
  type    = map(number)
  default = { http = 8080, metrics = 9090 }
}

variable "pg_password" {
  type      = string
  sensitive = true
  nullable  = false
  default   = "change-me"
}

locals {
  tag = "1.4.2"
}

output "replicas" {
  value = var.replicas
}
