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

// store caches v under key, unless the cache is full, and returns the
// cached value: the one stored first when goroutines store the same key at
// once, so that all of them share it.
func (c *boundedCache[V]) store(key string, v V) V {
	if c.size.Add(1) > c.max {
		return v
	}
	cached, loaded := c.entries.LoadOrStore(key, v)
	if loaded {
		c.size.Add(-1)
	}
	return cached.(V)
}
