// Package deploy is the rollout engine of berth's deployments: given the
// replicas that exist and the revision they should run, it creates,
// starts and removes replicas until every ordinal 0..N-1 runs the target
// revision and has been available for min_ready, honouring max_surge and
// max_unavailable, and fails when no replica makes progress for the
// progress deadline (rolling back first when asked to).
//
// It is pure logic over two small interfaces, Ops (the replica operations:
// create replica N of revision R, start, remove, observe, log tail) and
// Clock, so that the rules are unit-tested with fakes; the native
// provider's glue (providers/native/deployment_*.go) implements Ops with
// real containers. It imports nothing of berth.
//
// # Rules
//
//   - A replica is ready when it runs and, if its revision has a health
//     check, the check says healthy; it is available once it has been
//     ready for min_ready. A replica of an older revision counts as
//     available while it is ready (it has served already).
//   - Availability is counted per ordinal: an ordinal is served when one
//     of its replicas is available. At least replicas - max_unavailable
//     ordinals stay served, and at most replicas + max_surge replicas run
//     (a replica being removed counts for neither, as a terminating pod in
//     Kubernetes).
//   - An old replica is removed once the new replica of its ordinal is
//     available, or earlier while max_unavailable allows; new replicas are
//     created for empty ordinals first, then for ordinals whose old replica
//     still runs (the glue then gives them a temporary name).
//   - Replicas at ordinals >= N are removed at once (scale down removes the
//     highest ordinals); missing ordinals are created (scale up).
//   - With a Balancer (a port published for the deployment), the
//     replicas that take new connections are the ready ones not being
//     removed: a new replica joins once ready, one that turns unhealthy
//     leaves at the next observation, and a replica to be removed leaves
//     before anything else happens to it, then keeps running for Drain
//     so that requests in flight finish. A balancer that fails fails the
//     rollout, and nothing more is removed.
//   - A new replica that the health check finds unhealthy, that exits, or
//     that restarts repeatedly fails the rollout at once; one that never
//     gets ready fails it after the progress deadline, measured from the
//     last replica that became available.
package deploy
