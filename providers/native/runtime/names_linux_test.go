//go:build cgo

package runtime

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestCreateNameRace: creates of one name, each through its own Runtime
// on one root (as two berth processes would), race; exactly one wins and
// every other fails with a NameTakenError naming the winner.
func TestCreateNameRace(t *testing.T) {
	rt := newRuntime(t)
	const racers = 4
	specs := make([]Spec, racers)
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range specs {
		other, err := New(rt.root)
		if err != nil {
			t.Fatal(err)
		}
		specs[i] = shSpec(`sleep 100`)
		specs[i].Name = "dup"
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			<-start
			_, errs[i] = other.Create(ctx, specs[i])
		}(i)
	}
	close(start)
	wg.Wait()
	winner := ""
	for i, err := range errs {
		switch {
		case err == nil && winner == "":
			winner = specs[i].ID
		case err == nil:
			t.Errorf("two containers named dup: %s and %s", winner, specs[i].ID)
		case !errors.Is(err, ErrNameTaken):
			t.Errorf("racer %d: %v, want ErrNameTaken", i, err)
		}
	}
	if winner == "" {
		t.Fatalf("no racer won: %v", errs)
	}
	for i, err := range errs {
		var taken *NameTakenError
		if errors.As(err, &taken) && taken.Holder.ID != winner {
			t.Errorf("racer %d names holder %s, want the winner %s", i, taken.Holder.ID, winner)
		}
	}
	list, err := rt.List()
	if err != nil || len(list) != 1 || list[0].ID != winner {
		t.Errorf("List = %v, %v; want only %s", list, err, winner)
	}
}

// TestCreateNameFreedByRemove: a removed container's name can be used again.
func TestCreateNameFreedByRemove(t *testing.T) {
	rt := newRuntime(t)
	a, b := shSpec(`sleep 100`), shSpec(`sleep 100`)
	a.Name, b.Name = "again", "again"
	create(t, rt, a)
	if err := rt.Remove(context.Background(), a.ID, true); err != nil {
		t.Fatal(err)
	}
	create(t, rt, b)
}
