package views

import (
	"fmt"
	"io"

	"github.com/berthhq/berth/executor"
	"github.com/berthhq/berth/planner"
)

// ApplyCounts counts the finished changes of an apply: instances added,
// changed and destroyed (a replace is one add and one destroy).
func ApplyCounts(results []executor.Result) (added, changed, destroyed int) {
	for _, r := range results {
		if r.Err != nil || r.Skipped {
			continue
		}
		switch r.Action {
		case planner.Create:
			added++
		case planner.Update:
			changed++
		case planner.Delete:
			destroyed++
		case planner.DeleteThenCreate, planner.CreateThenDelete:
			added++
			destroyed++
		}
	}
	return
}

// WriteApplyComplete writes the last line of a successful apply, or of
// a destroy when destroy is true.
func WriteApplyComplete(w io.Writer, results []executor.Result, destroy bool, colors Colors) {
	added, changed, destroyed := ApplyCounts(results)
	if destroy {
		fmt.Fprintf(w, "\n%s Resources: %d destroyed.\n", colors.Bold(colors.Green("Destroy complete!")), destroyed)
		return
	}
	fmt.Fprintf(w, "\n%s Resources: %d added, %d changed, %d destroyed.\n",
		colors.Bold(colors.Green("Apply complete!")), added, changed, destroyed)
}
