package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// ask prints a question and reads one line of answer from stdin. It
// refuses when stdin is not a terminal, naming the flag that skips it.
func (a *app) ask(cmd *cobra.Command, question, detail, skipFlag string) (string, error) {
	if !isTerminal(a.stdin) {
		return "", fmt.Errorf("berth %s needs approval, but stdin is not a terminal to ask on; pass %s to go ahead without asking", cmd.Name(), skipFlag)
	}
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "\n%s\n", a.colors(w).Bold(question))
	for _, line := range strings.Split(detail, "\n") {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintf(w, "\n  %s ", a.colors(w).Bold("Enter a value:"))
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read answer: %w", err)
	}
	return strings.TrimSpace(line), nil
}

// approve asks whether to apply (or destroy) the plan just shown; any
// answer but "yes" cancels.
func (a *app) approve(cmd *cobra.Command, destroy bool) error {
	question := "Do you want to perform these actions?"
	detail := "berth will perform the actions described above.\nOnly 'yes' will be accepted to approve."
	if destroy {
		question = "Do you really want to destroy all resources?"
		detail = "berth will destroy all your managed infrastructure, as shown above.\nThere is no undo. Only 'yes' will be accepted to confirm."
	}
	answer, err := a.ask(cmd, question, detail, "-auto-approve")
	if err != nil {
		return err
	}
	if answer != "yes" {
		msg := "Apply cancelled."
		if destroy {
			msg = "Destroy cancelled."
		}
		fmt.Fprintf(a.stderr, "\n%s\n", msg)
		return errReported
	}
	return nil
}
