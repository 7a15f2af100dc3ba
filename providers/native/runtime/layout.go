package runtime

import "path/filepath"

// Files and directories in a container's directory <root>/<id>.
const (
	configFile      = "config.json"     // the normalised Spec
	statusFile      = "status.json"     // Status, written by the supervisor
	lockFile        = "supervisor.lock" // OFD-locked by the live supervisor
	controlSocket   = "control.sock"    // the supervisor's control socket
	supervisorLog   = "supervisor.log"  // the supervisor's own stderr
	rootfsDir       = "rootfs"          // overlay mount point
	upperDir        = "upper"           // overlay upperdir
	workDir         = "work"            // overlay workdir
	emptyDir        = "empty"           // lowerdir for an image without layers
	etcDir          = "etc"             // hostname, hosts, resolv.conf bind-mounted into the container
	logsDir         = "logs"            // container.log and its rotations
	libcontainerDir = "libcontainer"    // libcontainer's state root
)

// cgroupParent is the cgroup under which every container's cgroup lives:
// /berth/<id> in each hierarchy.
const cgroupParent = "/berth"

func cgroupPath(id string) string { return cgroupParent + "/" + id }

func (r *Runtime) dir(id string) string { return filepath.Join(r.root, id) }
