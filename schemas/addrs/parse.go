package addrs

import (
	"errors"
	"strconv"
	"strings"
)

type parser struct {
	src string
	pos int
}

func (p *parser) rest() string { return p.src[p.pos:] }

func (p *parser) ident() (string, error) {
	start := p.pos
	for p.pos < len(p.src) {
		if !nameByte(p.src[p.pos], p.pos == start) {
			break
		}
		p.pos++
	}
	if p.pos == start {
		if p.pos >= len(p.src) {
			return "", errors.New("unexpected end of address, want a name")
		}
		return "", errors.New("want a name at " + strconv.Quote(p.rest()))
	}
	return p.src[start:p.pos], nil
}

func (p *parser) expect(c byte) error {
	if p.pos >= len(p.src) || p.src[p.pos] != c {
		return errors.New("want " + strconv.QuoteRune(rune(c)) + " at " + strconv.Quote(p.rest()))
	}
	p.pos++
	return nil
}

func (p *parser) target() (Target, error) {
	var t Target
	for {
		name, err := p.ident()
		if err != nil {
			return t, err
		}
		if name == "module" {
			if err := p.expect('.'); err != nil {
				return t, err
			}
			m, err := p.ident()
			if err != nil {
				return t, err
			}
			t.Module = t.Module.Child(m)
			if p.pos == len(p.src) {
				return t, nil
			}
			if err := p.expect('.'); err != nil {
				return t, err
			}
			continue
		}
		t.Type = name
		if err := p.expect('.'); err != nil {
			return t, err
		}
		if t.Name, err = p.ident(); err != nil {
			return t, err
		}
		break
	}
	if strings.HasPrefix(p.rest(), "[") {
		k, err := p.key()
		if err != nil {
			return t, err
		}
		t.HasKey, t.Key = true, k
	}
	if strings.HasPrefix(p.rest(), "#") {
		p.pos++
		start := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		n, err := strconv.Atoi(p.src[start:p.pos])
		if err != nil {
			return t, errors.New("want a replica ordinal after '#'")
		}
		t.HasOrdinal, t.Ordinal = true, n
	}
	if p.pos != len(p.src) {
		return t, errors.New("unexpected " + strconv.Quote(p.rest()))
	}
	return t, nil
}

func (p *parser) key() (Key, error) {
	p.pos++ // '['
	rest := p.rest()
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return Key{}, errors.New("unclosed '['")
	}
	if strings.HasPrefix(rest, `"`) {
		// find the closing quote, honouring escapes
		i := 1
		for i < len(rest) && rest[i] != '"' {
			if rest[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(rest) {
			return Key{}, errors.New("unclosed string key")
		}
		s, err := strconv.Unquote(rest[:i+1])
		if err != nil {
			return Key{}, errors.New("bad string key " + rest[:i+1])
		}
		p.pos += i + 1
		if err := p.expect(']'); err != nil {
			return Key{}, err
		}
		return StringKeyOf(s), nil
	}
	n, err := strconv.Atoi(rest[:end])
	if err != nil || n < 0 {
		return Key{}, errors.New("index must be a whole number or a quoted string, not " + strconv.Quote(rest[:end]))
	}
	p.pos += end + 1
	return IntKeyOf(n), nil
}
