# A network with a fixed subnet, and an internal one with no way out.
network "backend" {
  subnet = "10.89.0.0/24"
}

network "private" {
  internal = true
}

output "backend_gateway" {
  value = network.backend.gateway
}
