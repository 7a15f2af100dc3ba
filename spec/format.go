package spec

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// ParseSize parses a byte size such as "256MiB", "1GB", "512k", "1.5g" or
// "1024" (plain bytes). Units are case-insensitive: KiB/MiB/GiB/TiB and
// k/m/g/t are powers of 1024 (as in Docker), KB/MB/GB/TB powers of 1000.
// It is schemas.ParseSize, the definition the runtime uses too.
func ParseSize(s string) (int64, error) { return schemas.ParseSize(s) }

// knownFormats are the Format names checked; others are ignored.
var knownFormats = map[string]bool{
	schemas.FormatDuration: true, schemas.FormatSize: true,
	schemas.FormatCIDR: true, schemas.FormatIPv4: true,
}

// checkFormat checks a known, non-null, unmarked primitive value against
// the attribute's Format and OneOf; it returns nil when the value is fine.
func checkFormat(a *schemas.Attribute, v cty.Value) error {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	if len(a.OneOf) > 0 && v.Type() == cty.String {
		if s := v.AsString(); !slices.Contains(a.OneOf, s) {
			return fmt.Errorf("%q is not one of %s", s, quoteList(a.OneOf))
		}
	}
	if !knownFormats[a.Format] {
		return nil
	}
	switch v.Type() {
	case cty.Number:
		return checkNumberFormat(a.Format, v.AsBigFloat())
	case cty.String:
		return schemas.CheckFormat(a.Format, v.AsString())
	}
	return nil
}

// checkNumberFormat accepts plain numbers for sizes and durations (bytes,
// seconds) as long as they are not negative.
func checkNumberFormat(format string, f *big.Float) error {
	if (format == schemas.FormatSize || format == schemas.FormatDuration) && f.Sign() < 0 {
		return fmt.Errorf("a %s must not be negative", format)
	}
	return nil
}

// checkFormatDeep is checkFormat on a value or, for collections, on
// each element.
func checkFormatDeep(a *schemas.Attribute, v cty.Value) error {
	if a.Format == "" && len(a.OneOf) == 0 {
		return nil
	}
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	ty := v.Type()
	if ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() {
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if err := checkFormatDeep(a, e); err != nil {
				return err
			}
		}
		return nil
	}
	return checkFormat(a, v)
}

func quoteList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
