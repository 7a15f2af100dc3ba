package native

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/berthhq/berth/providers/native/image"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/zclconf/go-cty/cty"
)

// Engine holds the runtime's stores under one root, opened on first use
// so that planning never touches the disk.
type Engine struct {
	Root     string
	Images   *image.Store
	Runtime  *runtime.Runtime
	Volumes  string // one directory per named volume
	Networks *network.Manager
}

// Labels berth puts on everything it makes, so that an interrupted apply
// leaves nothing it cannot find.
const (
	labelManaged = "berth.managed"
	labelImage   = "berth.image"
	labelRun     = "berth.run" // made by `berth run`, not by a configuration
)

var engineMu sync.Mutex

// engine opens (once) the stores under the configured runtime root.
func (p *Provider) engine() (*Engine, error) {
	engineMu.Lock()
	defer engineMu.Unlock()
	p.mu.RLock()
	e, root, cfg := p.eng, p.root, p.config
	p.mu.RUnlock()
	if e != nil {
		return e, nil
	}
	if root == "" {
		root = defaultRoot()
	}
	images, err := image.Open(filepath.Join(root, "images"), image.Options{Registries: registriesOf(cfg)})
	if err != nil {
		return nil, fmt.Errorf("open image store: %w", err)
	}
	rt, err := runtime.New(filepath.Join(root, "containers"))
	if err != nil {
		return nil, fmt.Errorf("open container runtime: %w", err)
	}
	nets, err := network.Open(root, network.Options{})
	if err != nil {
		return nil, fmt.Errorf("open networks: %w", err)
	}
	e = &Engine{Root: root, Images: images, Runtime: rt, Volumes: filepath.Join(root, "volumes"), Networks: nets}
	p.mu.Lock()
	p.eng = e
	p.mu.Unlock()
	return e, nil
}

// registriesOf reads the berth block's registry settings.
func registriesOf(cfg cty.Value) map[string]image.RegistryConfig {
	regs := attr(cfg, "registries")
	out := map[string]image.RegistryConfig{}
	if regs.IsNull() || !regs.IsKnown() || !regs.CanIterateElements() {
		return out
	}
	for it := regs.ElementIterator(); it.Next(); {
		k, v := it.Element()
		rc := image.RegistryConfig{}
		rc.Insecure, _ = knownBool(attr(v, "insecure"))
		rc.Username, _ = knownString(attr(v, "username"))
		rc.Password, _ = knownString(attr(v, "password"))
		for _, m := range elements(attr(v, "mirrors")) {
			if s, ok := knownString(m); ok {
				rc.Mirrors = append(rc.Mirrors, s)
			}
		}
		out[k.AsString()] = rc
	}
	return out
}
