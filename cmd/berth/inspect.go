package main

import (
	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/spf13/cobra"
)

func newInspectCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "inspect ADDRESS",
		Short: "Print everything known about a container or deployment as JSON",
		Long: `Print, as one JSON object, everything berth knows about ADDRESS: the state
record ("resource": its configuration and computed values as berth show
-json prints them, dependencies, taint), and for each of its containers
the runtime's record ("runtime": status, PID, times, exit code, restarts,
health and the last health checks, labels, and the full spec with its
mounts, resources and process), its addresses, ports and log files.

ADDRESS is a container, a deployment (every replica), one replica
(deployment.web#1), or a container outside the state by name or ID.
A container the runtime no longer has is listed with "missing": true.`,
		Example: `  berth inspect container.web
  berth inspect deployment.web#0 | jq '.containers[0].runtime.health_log'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeContainers,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := a.openOps(cmd)
			if err != nil {
				return err
			}
			doc, err := o.inspect(args[0])
			if err != nil {
				return err
			}
			return views.WriteInspect(cmd.OutOrStdout(), doc)
		},
	}
}

// inspect gathers what is known of the containers arg names.
func (o *ops) inspect(arg string) (views.InspectDoc, error) {
	ms, err := o.resolve(arg)
	if err != nil {
		return views.InspectDoc{}, err
	}
	doc := views.InspectDoc{Address: arg}
	if res := ms[0].Res; res != nil {
		doc.Address = res.Addr.String()
		if t, err := addrs.ParseTarget(arg); err != nil || t.HasOrdinal {
			doc.Address = ms[0].Addr // one replica, or by name or ID
		}
		lookup := func(typ string) (*schemas.Resource, bool) { r, ok := schemas.Builtin()[typ]; return r, ok }
		if doc.Resource, err = views.InspectResource(res, lookup); err != nil {
			return doc, err
		}
	}
	for _, m := range ms {
		doc.Containers = append(doc.Containers, o.inspectContainer(m))
	}
	return doc, nil
}

func (o *ops) inspectContainer(m *member) views.InspectContainer {
	c := views.InspectContainer{
		Address: m.Addr, ID: m.ID, Name: m.Name, Node: m.Node, Runtime: m.Status,
		IPAddresses: m.IPs, IP: m.IP, Ports: []string{}, Mounts: []runtime.Mount{},
	}
	for _, p := range m.Ports {
		c.Ports = append(c.Ports, p.String())
	}
	if m.Status == nil {
		c.Missing = m.Node == ""
		return c
	}
	if m.Status.Spec.Mounts != nil {
		c.Mounts = m.Status.Spec.Mounts
	}
	c.Logs, _ = o.engine.Runtime.Logs(m.ID)
	return c
}
