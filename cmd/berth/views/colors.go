package views

// Colors wraps text in ANSI colour codes when Enabled, and returns it
// unchanged otherwise.
type Colors struct{ Enabled bool }

func (c Colors) wrap(code, s string) string {
	if !c.Enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func (c Colors) Bold(s string) string   { return c.wrap("1", s) }
func (c Colors) Red(s string) string    { return c.wrap("31", s) }
func (c Colors) Green(s string) string  { return c.wrap("32", s) }
func (c Colors) Yellow(s string) string { return c.wrap("33", s) }
func (c Colors) Cyan(s string) string   { return c.wrap("36", s) }
func (c Colors) Dim(s string) string    { return c.wrap("2", s) }

// symbol colours a plan action marker the way Terraform does.
func (c Colors) symbol(sym string) string {
	switch sym {
	case "+":
		return c.Green(sym)
	case "-":
		return c.Red(sym)
	case "~":
		return c.Yellow(sym)
	case "-/+":
		return c.Red("-") + "/" + c.Green("+")
	case "+/-":
		return c.Green("+") + "/" + c.Red("-")
	}
	return sym
}

// padSymbol right-aligns a marker in three columns ("  +", "-/+").
func (c Colors) padSymbol(sym string) string {
	return spaces(3-len(sym)) + c.symbol(sym)
}
