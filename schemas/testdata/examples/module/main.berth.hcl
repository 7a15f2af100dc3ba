network "backend" {}

# Loads ./modules/cache; its variables network and memory are set here.
module "cache" {
  source  = "./modules/cache"
  network = network.backend.name
  memory  = "128MiB"
}

output "cache_address" {
  value = module.cache.address
}
