# A remote host reached over SSH; the container runs there.
node "edge1" {
  ssh {
    host             = "203.0.113.10"
    user             = "root"
    port             = 22
    private_key_file = "~/.ssh/id_ed25519"
    known_hosts_file = "~/.ssh/known_hosts"
  }
}

image "web" {
  ref = "docker.io/library/nginx:1.27"
}

container "web" {
  image = image.web.id
  node  = node.edge1.name
}
