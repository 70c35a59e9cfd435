// wasmbox run examples/hello.go  (needs Go: npx wasmbox setup)
package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
)

func main() {
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	name := strings.TrimSpace(line)
	if name == "" {
		name = "World"
	}
	squares := []int{}
	sum := 0
	for n := 1; n <= 5; n++ {
		squares = append(squares, n*n)
		sum += n * n
	}
	fmt.Printf("Hello, %s! From %s.\n", name, runtime.Version())
	fmt.Println("squares:", squares, "sum:", sum)
}
