package queue

import (
	"errors"
	"sync"
)

// ErrEmpty is returned by Pop on an empty queue.
var ErrEmpty = errors.New("queue: empty")

// Queue is a FIFO queue safe for concurrent use.
type Queue[T any] struct {
	mu    sync.Mutex
	items []T
}

// Push appends an item.
func (q *Queue[T]) Push(item T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, item)
}

// Pop removes and returns the oldest item.
func (q *Queue[T]) Pop() (T, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var zero T
	if len(q.items) == 0 {
		return zero, ErrEmpty
	}
	item := q.items[0]
	q.items = q.items[1:]
	return item, nil
}

// Len reports the number of queued items.
func (q *Queue[T]) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}
