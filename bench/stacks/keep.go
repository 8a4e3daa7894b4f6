// Case 8, spawn and keep, with goroutines (the Go column of bench/stacks):
// keep N starts N goroutines one after another; goroutine x does its first
// step (sends 3x to the spawner, which waits for it, as a resume waits for
// the first suspend) and then blocks on a shared channel, so all N are parked
// at once. Then the channel is closed, every goroutine adds x to the sum and
// finishes, and the spawner waits for all of them. Prints the checksum,
// 3N(N+1)/2 + N(N+1)/2 = 2N(N+1), like keep.wat's keep(N).
// Built by bench/stacks/run with Debian's Go 1.19; see README.md.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: keep N")
		os.Exit(2)
	}
	n, err := strconv.ParseInt(os.Args[1], 10, 64)
	if err != nil || n < 0 {
		fmt.Fprintln(os.Stderr, "keep: bad N")
		os.Exit(2)
	}
	started := make(chan int64) // unbuffered: the spawner waits for each first step
	release := make(chan struct{})
	var wg sync.WaitGroup
	var finished int64
	var sum int64
	wg.Add(int(n))
	for x := int64(1); x <= n; x++ {
		go func(x int64) {
			started <- 3 * x
			<-release
			atomic.AddInt64(&finished, x)
			wg.Done()
		}(x)
		sum += <-started
	}
	close(release)
	wg.Wait()
	fmt.Println(sum + finished)
}
