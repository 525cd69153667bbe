// Command worstcase writes a worst-case input (see package worstcase) to
// stdout: worstcase NAME. With no argument it lists the cases.
package main

import (
	"fmt"
	"os"

	"github.com/slipway-dev/slipway/functions/internal/worstcase"
)

func main() {
	if len(os.Args) != 2 {
		for _, c := range worstcase.Cases {
			fmt.Printf("%s\t%s\n", c.Name, c.What)
		}
		return
	}
	for _, c := range worstcase.Cases {
		if c.Name == os.Args[1] {
			if _, err := os.Stdout.Write(c.Input()); err != nil {
				fmt.Fprintln(os.Stderr, "worstcase:", err)
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "worstcase: no case %q\n", os.Args[1])
	os.Exit(2)
}
