variable "release" {
  type    = string
  default = "2024-06-01"
}

# Holds the release name: output follows input at every apply, and a new
# release replaces the resource (it gets a new id).
berth_data "release" {
  input            = { release = var.release }
  triggers_replace = var.release
}

output "release" {
  value = berth_data.release.output
}
