package encode

import (
	"sync"
	"sync/atomic"
)

// boundedCache remembers answers by string key for every goroutine, up to
// max of them: keys come from the input, so past max it stops remembering
// and memory stays bounded whatever the input.
type boundedCache[V any] struct {
	entries sync.Map // string -> V
	size    atomic.Int64
	max     int64
}

func (c *boundedCache[V]) load(key string) (V, bool) {
	v, ok := c.entries.Load(key)
	if !ok {
		var zero V
		return zero, false
	}
	return v.(V), true
}

func (c *boundedCache[V]) store(key string, v V) {
	if c.size.Add(1) <= c.max {
		c.entries.Store(key, v)
	}
}
