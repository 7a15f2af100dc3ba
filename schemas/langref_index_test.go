package schemas_test

import (
	"bytes"
	"fmt"
)

// renderIndex renders docs/language/README.md: what a configuration is
// made of, a line per page, and the notation the pages use.
func renderIndex(pages []refPage) []byte {
	var b bytes.Buffer
	b.WriteString(langHeader)
	b.WriteString(indexIntro)
	b.WriteString("## The language's blocks\n\n| block | what it is |\n| --- | --- |\n")
	for _, p := range pages {
		if !p.resource {
			fmt.Fprintf(&b, "| [`%s`](%s) | %s |\n", p.syntax, p.file, firstSentence(p.block.Description))
		}
	}
	b.WriteString("| `locals { NAME = EXPR ... }` | Named values of the module, referred to as local.NAME; any number of locals blocks, each attribute one value. |\n")
	b.WriteString("\n## Resource types\n\nServed by berth's built-in native provider; a plugin provider's types are written `resource \"TYPE\" \"NAME\" { ... }` and described by `berth providers schema -json`.\n\n| type | what it is |\n| --- | --- |\n")
	for _, p := range pages {
		if p.resource {
			fmt.Fprintf(&b, "| [`%s`](%s) | %s |\n", p.name, p.file, firstSentence(p.block.Description))
		}
	}
	b.WriteString(indexNotation)
	return bytes.TrimRight(b.Bytes(), "\n")
}

const indexIntro = `# berth language reference

A configuration is every ` + "`*.berth.hcl`" + ` file in one directory (HCL's JSON syntax in
` + "`*.berth.json`" + ` too), read together. Every page below lists a block's arguments with
their types, defaults and effects, and shows an example configuration that berth
validate accepts (the tests load each one). The same schemas drive berth's
decoding and validation and ` + "`berth providers schema -json`" + `.

`

const indexNotation = `
## Notation

- **required** / **optional**: whether the configuration must set the argument.
  *optional, computed when unset*: berth fills the value in when it is not set
  (a name from the block label, a free host port, a subnet from the pool), and
  it then never shows as a change.
- **default**: the value an optional argument takes when it is not set.
- *forces replacement*: changing the argument destroys the object and creates it
  again; the plan marks it ` + "`# forces replacement`" + `. Other arguments change in place.
- *sensitive*: the value is hidden in plans, output and logs.
- **Read-only attributes** are set by berth and can be referred to
  (` + "`container.db.ip_addresses`" + `) but not set.
- Types are written as type constraints: ` + "`string`, `number`, `bool`, `list(T)`, `map(T)`, `set(T)`" + `,
  ` + "`object({...})`" + `, and ` + "`any`" + ` for any value.

String formats, checked by berth validate:

- **duration**: a Go duration, not negative: ` + "`5s`, `1m30s`, `0s`" + `.
- **size**: bytes with an optional unit: ` + "`256MiB`, `1GiB`" + ` (binary), ` + "`1GB`" + ` (decimal), or
  Docker's one-letter binary units ` + "`256m`, `1g`" + `.
- **IPv4 CIDR**: an IPv4 prefix such as ` + "`10.89.0.0/24`" + `.
- **IPv4 address**: such as ` + "`10.89.0.10`" + `.

Any nested block can also be generated from a collection with
` + "`dynamic \"NAME\" { for_each = ..., content { ... } }`" + `, as in Terraform.
`
