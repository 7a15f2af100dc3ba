network "backend" {}

output "backend_subnet" {
  value       = network.backend.subnet
  description = "subnet the backend network was given"
}

output "connection" {
  value     = "postgres://app:secret@${network.backend.gateway}:5432/app"
  sensitive = true
}
