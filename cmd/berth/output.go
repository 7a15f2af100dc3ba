package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/berthhq/berth/cmd/berth/views"
	"github.com/berthhq/berth/state"
	"github.com/spf13/cobra"
	"github.com/zclconf/go-cty/cty"
)

type outputFlags struct {
	json, raw bool
	state     stateFlag
}

func newOutputCmd(a *app) *cobra.Command {
	var f outputFlags
	cmd := &cobra.Command{
		Use:   "output [flags] [NAME]",
		Short: "Show output values from the state",
		Long: `Output prints the root outputs recorded by the last apply. Sensitive
outputs show as <sensitive> in the list, and in full when named or with -json.`,
		Example: `  berth output
  berth output web_address
  berth output -raw db_password
  berth output -json | jq .web_address.value`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runOutput(cmd, args, f)
		},
	}
	cmd.Flags().BoolVar(&f.json, "json", false, "print JSON")
	cmd.Flags().BoolVar(&f.raw, "raw", false, "print a string, number or bool output's bare value, without a newline")
	f.state.register(cmd)
	return cmd
}

func (a *app) runOutput(cmd *cobra.Command, args []string, f outputFlags) error {
	ws, st, err := a.readStateOnly(cmd, f.state)
	defer ws.close()
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	if len(args) == 0 {
		if f.raw {
			return fmt.Errorf("-raw needs an output NAME")
		}
		if f.json {
			return writeOutputsJSON(w, st.Outputs)
		}
		if len(st.Outputs) == 0 {
			a.warnf("No outputs found: the state has none; define output blocks and run berth apply")
			return nil
		}
		return views.WriteOutputs(w, st.Outputs)
	}
	o, ok := st.Outputs[args[0]]
	if !ok {
		return fmt.Errorf("output %q not found in the state%s", args[0], outputNames(st))
	}
	v, err := o.Decode()
	if err != nil {
		return fmt.Errorf("output %s: %w", args[0], err)
	}
	switch {
	case f.json:
		var b bytes.Buffer
		if err := json.Compact(&b, rawOrNull(o.Value)); err != nil {
			return fmt.Errorf("output %s: %w", args[0], err)
		}
		_, err = fmt.Fprintf(w, "%s\n", b.Bytes())
	case f.raw:
		err = writeRaw(w, args[0], v)
	default:
		_, err = fmt.Fprintln(w, views.FormatValue(v, 0))
	}
	return err
}

func outputNames(st *state.State) string {
	if len(st.Outputs) == 0 {
		return " (it has no outputs)"
	}
	names := make([]string, 0, len(st.Outputs))
	for n := range st.Outputs {
		names = append(names, n)
	}
	sort.Strings(names)
	return " (it has: " + strings.Join(names, ", ") + ")"
}

func rawOrNull(b []byte) []byte {
	if len(b) == 0 {
		return []byte("null")
	}
	return b
}

// writeRaw prints a primitive value as is, as `terraform output -raw` does.
func writeRaw(w io.Writer, name string, v cty.Value) error {
	if v.IsNull() || !v.Type().IsPrimitiveType() {
		return fmt.Errorf("output %s is not a string, number or bool; use -json for it", name)
	}
	var s string
	switch v.Type() {
	case cty.String:
		s = v.AsString()
	case cty.Number:
		s = v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		s = fmt.Sprint(v.True())
	}
	_, err := w.Write([]byte(s))
	return err
}

// writeOutputsJSON writes every output as {NAME: {sensitive, type, value}}.
func writeOutputsJSON(w io.Writer, outputs map[string]*state.Output) error {
	doc := map[string]any{}
	for name, o := range outputs {
		doc[name] = map[string]any{
			"sensitive": o.Sensitive,
			"type":      json.RawMessage(rawOrNull(o.Type)),
			"value":     json.RawMessage(rawOrNull(o.Value)),
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
